import { useEffect, useMemo, useState } from 'react'
import { ErrorBoundary } from './components/ErrorBoundary'
import { Link } from './components/Link'
import { PageHeading } from './components/PageHeading'
import { SessionStatus, SignInPanel } from './components/SignIn'
import { portfolioFits, restoreForm, saveAssets, saveForm } from './lib/persist'
import { initialForm, type PlannerForm } from './lib/plannerForm'
import { navigate, parseRoute, paths, usePathname, type Route } from './lib/router'
import { IdentityContext, useSession } from './lib/session'
import { AnalysesPage } from './pages/AnalysesPage'
import { PlannerPage } from './pages/PlannerPage'
import { RunPage } from './pages/RunPage'
import { RunsPage } from './pages/RunsPage'
import { ScenarioSetPage } from './pages/ScenarioSetPage'
import { ScenarioSetsPage } from './pages/ScenarioSetsPage'

const TITLES: Record<Route['page'], string> = {
  planner: 'Planner',
  runs: 'Runs',
  run: 'Run',
  analyses: 'Analyses',
  'scenario-sets': 'Scenario sets',
  'scenario-set': 'Scenario comparison',
  'not-found': 'Page not found',
}

const NAV: { label: string; to: string; active: (route: Route) => boolean }[] = [
  { label: 'Planner', to: paths.planner, active: (r) => r.page === 'planner' },
  { label: 'Runs', to: paths.runs, active: (r) => r.page === 'runs' || r.page === 'run' || r.page === 'analyses' },
  { label: 'Scenario sets', to: paths.scenarioSets, active: (r) => r.page === 'scenario-sets' || r.page === 'scenario-set' },
]

export function App() {
  const pathname = usePathname()
  const route = parseRoute(pathname)
  const { session, generation, signIn, signOut } = useSession()
  const identity = session.state === 'ready' ? session.identity : null
  // The planner's inputs outlive a visit to a result ("back to the planner" keeps them) and a
  // reload of the tab (sessionStorage; a very large portfolio excepted).
  const [form, setForm] = useState<PlannerForm>(() => restoreForm() ?? initialForm())
  const portfolioKept = useMemo(() => portfolioFits(form.source, form.assets), [form.source, form.assets])
  useEffect(() => saveForm(form), [form])
  useEffect(() => {
    saveAssets(form.source, form.assets)
  }, [form.source, form.assets])
  // Pages with a subject (a run, a set) name it once it has loaded.
  useEffect(() => {
    document.title = session.state === 'signed-out' ? 'Sign in — SLB Planner' : `${TITLES[parseRoute(pathname).page]} — SLB Planner`
  }, [pathname, session.state])
  const openInPlanner = (next: PlannerForm) => {
    setForm(next)
    navigate(paths.planner)
  }
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="masthead">
        <div className="masthead-inner">
          <Link to={paths.planner} className="brand">
            <span className="brand-name">SLB Planner</span>
            <span className="brand-tagline">Sale-leaseback programs within covenants</span>
          </Link>
          <div className="masthead-side">
            <SessionStatus session={session} onSignOut={signOut} />
            <nav className="site-nav" aria-label="Sections">
              <ul>
                {NAV.map((item) => (
                  <li key={item.to}>
                    <Link to={item.to} aria-current={item.active(route) ? 'page' : undefined}>
                      {item.label}
                    </Link>
                  </li>
                ))}
                <li>
                  <a href="/api/docs" target="_blank" rel="noreferrer">
                    API docs ↗
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </div>
      </header>
      <main className="page" id="main" tabIndex={-1}>
        {session.state === 'signed-out' ? (
          <SignInPanel message={session.message} refused={session.refused} onSignIn={signIn} />
        ) : (
          // A new sign-in mounts the page again, so it loads its data under the new key.
          <IdentityContext.Provider value={identity}>
            <ErrorBoundary key={`${pathname}#${generation}`}>
              <Page route={route} form={form} setForm={setForm} portfolioKept={portfolioKept} openInPlanner={openInPlanner} />
            </ErrorBoundary>
          </IdentityContext.Provider>
        )}
      </main>
      <footer className="site-footer">
        SLB Planner · every number comes from the deterministic engine; the planner only reads the brief and writes the
        summary.
      </footer>
    </>
  )
}

type PageProps = {
  route: Route
  form: PlannerForm
  setForm: (update: (form: PlannerForm) => PlannerForm) => void
  portfolioKept: boolean
  openInPlanner: (form: PlannerForm) => void
}

function Page({ route, form, setForm, portfolioKept, openInPlanner }: PageProps) {
  switch (route.page) {
    case 'planner':
      return <PlannerPage form={form} onChange={setForm} portfolioKept={portfolioKept} />
    case 'runs':
      return <RunsPage />
    case 'run':
      return <RunPage runId={route.id} planner={form} onOpenInPlanner={openInPlanner} />
    case 'analyses':
      return <AnalysesPage runId={route.id} />
    case 'scenario-sets':
      return <ScenarioSetsPage />
    case 'scenario-set':
      return <ScenarioSetPage setId={route.id} />
    case 'not-found':
      return (
        <div className="panel">
          <PageHeading>Page not found</PageHeading>
          <p>
            Nothing lives at <code>{route.path}</code>. Go to the <Link to={paths.planner}>planner</Link> or the{' '}
            <Link to={paths.runs}>runs</Link>.
          </p>
        </div>
      )
  }
}
