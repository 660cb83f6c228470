import { useEffect, useId, useState } from 'react'
import { createRun, createScenarioSet, planProgram } from '../api/client'
import { errorLines } from '../api/errors'
import type { SelectionStrategy } from '../api/types'
import { Link } from '../components/Link'
import { PageHeading } from '../components/PageHeading'
import { ErrorNotice, RequestErrorNotice } from '../components/Notices'
import { AssumptionsPanel } from '../components/planner/AssumptionsPanel'
import { CompanyPanel } from '../components/planner/CompanyPanel'
import { PortfolioPanel } from '../components/planner/PortfolioPanel'
import { SpecPreview } from '../components/planner/SpecPreview'
import { DEMO_PORTFOLIO } from '../lib/demo'
import { STRATEGY_LABELS } from '../lib/labels'
import {
  EXAMPLE_BRIEFS,
  MAX_SCENARIOS,
  corporateFields,
  errorFieldName,
  formErrors,
  fundId,
  previewBasis,
  programRequest,
  scenarioSetRequest,
  specRequest,
  type FormErrorKey,
  type PlannerForm,
} from '../lib/plannerForm'
import { readPortfolioFile } from '../lib/portfolio'
import { navigate, paths } from '../lib/router'
import { runBlockedReason, scopedFunds, useIdentity } from '../lib/session'
import { draftFromPreview, specErrors, specLabel, type SpecDraft, type SpecPath } from '../lib/spec'

/** Where a run was started from, so its feedback shows next to its button. */
type Place = 'brief' | 'spec'

type RunState =
  | { kind: 'idle' }
  | { kind: 'previewing' }
  | { kind: 'running-program' }
  | { kind: 'running-spec' }
  | { kind: 'running-scenarios'; count: number }
  | { kind: 'request-failed'; error: unknown; place: Place }
  | { kind: 'run-failed'; runId: string; lines: string[]; place: Place }

type Props = {
  form: PlannerForm
  onChange: (update: (form: PlannerForm) => PlannerForm) => void
  /** False when the portfolio is too large to survive a reload of the tab. */
  portfolioKept?: boolean
}

const STRATEGY_HINTS: Record<SelectionStrategy, string> = {
  optimal: 'Searches for the best selection that meets every limit, by the spec’s objective.',
  greedy: 'The reference walk: ranks assets and sells in order; it can miss selections that need several sales together.',
}

export function PlannerPage({ form, onChange, portfolioKept = true }: Props) {
  const [run, setRun] = useState<RunState>({ kind: 'idle' })
  const [specShown, setSpecShown] = useState(0)
  const identity = useIdentity()
  // A viewer's key reads but never runs: every button that plans or runs is off, and says why.
  const notAllowed = runBlockedReason(identity)
  const funds = scopedFunds(identity)
  const errors = formErrors(form)
  const blocked = Object.keys(errors).length > 0
  const running = run.kind === 'running-program' || run.kind === 'running-scenarios' || run.kind === 'previewing' || run.kind === 'running-spec'
  const briefId = useId()
  const countId = useId()
  const strategyHintId = useId()
  const notAllowedId = useId()
  const specNotAllowedId = useId()

  // A key limited to funds writes only to them: the Fund ID is one of them, the first by default.
  const fundText = form.fundId.trim()
  useEffect(() => {
    if (funds && !funds.includes(fundText)) onChange((f) => ({ ...f, fundId: funds[0] }))
  }, [funds, fundText, onChange])

  const update = (patch: Partial<PlannerForm>) => onChange((f) => ({ ...f, ...patch }))

  // A fresh preview takes the focus, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (specShown === 0) return
    const heading = document.getElementById('spec-title')
    heading?.focus({ preventScroll: true })
    heading?.closest('section')?.scrollIntoView?.({ block: 'start', behavior: 'smooth' })
  }, [specShown])

  const preview = async () => {
    setRun({ kind: 'previewing' })
    try {
      const planned = await planProgram(programRequest(form))
      const basis = previewBasis(form)
      onChange((f) => ({ ...f, spec: draftFromPreview(planned, basis) }))
      setRun({ kind: 'idle' })
      setSpecShown((n) => n + 1)
    } catch (error) {
      setRun({ kind: 'request-failed', error, place: 'brief' })
    }
  }

  const runSpec = async (draft: SpecDraft) => {
    setRun({ kind: 'running-spec' })
    try {
      const created = await createRun(specRequest(form, draft), fundId(form))
      if (created.status === 'completed') navigate(paths.run(created.run_id))
      else setRun({ kind: 'run-failed', runId: created.run_id, lines: errorLines(created.error), place: 'spec' })
    } catch (error) {
      setRun({ kind: 'request-failed', error, place: 'spec' })
    }
  }

  const loadFile = async (file: File) => {
    const reading = readPortfolioFile(file.name, await file.text())
    if (reading.ok) {
      onChange((f) => ({
        ...f,
        source: { kind: 'file', fileName: file.name },
        assets: reading.portfolio.assets,
        corporate: reading.portfolio.corporateState ? corporateFields(reading.portfolio.corporateState) : f.corporate,
      }))
    } else {
      update({ source: { kind: 'invalid', fileName: file.name, problems: reading.problems }, assets: [] })
    }
    setRun({ kind: 'idle' })
  }

  const runProgram = async () => {
    setRun({ kind: 'running-program' })
    try {
      const created = await createRun(programRequest(form), fundId(form))
      if (created.status === 'completed') navigate(paths.run(created.run_id))
      else setRun({ kind: 'run-failed', runId: created.run_id, lines: errorLines(created.error), place: 'brief' })
    } catch (error) {
      setRun({ kind: 'request-failed', error, place: 'brief' })
    }
  }

  const runScenarios = async () => {
    setRun({ kind: 'running-scenarios', count: form.scenarioCount })
    try {
      const created = await createScenarioSet(scenarioSetRequest(form))
      navigate(paths.scenarioSet(created.scenario_set.id))
    } catch (error) {
      setRun({ kind: 'request-failed', error, place: 'brief' })
    }
  }

  const blockers = Object.entries(errors).map(([field, message]) => `${errorFieldName(field as FormErrorKey)} ${message}.`)
  const spec = form.spec
  const specProblems = spec ? specErrors(spec) : {}
  const specBlockers = Object.entries(specProblems).map(([path, message]) => `${specLabel(path as SpecPath)} ${message}.`)

  return (
    <div className="planner">
      <header className="page-header">
        <div>
          <p className="eyebrow">Planner</p>
          <PageHeading>Plan a sale-leaseback program</PageHeading>
          <p className="lede">
            Describe the capital you need in plain English. The planner turns the brief into a spec, the engine picks the
            properties to sell and lease back within your covenants, and every step is kept in an audit trail.
          </p>
        </div>
      </header>

      <div className="planner-top">
        <section className="panel" aria-labelledby="brief-title">
          <div className="panel-header">
            <h2 id="brief-title">Brief</h2>
          </div>
          <div className="field">
            <label htmlFor={briefId}>What should the program raise, and under which limits?</label>
            <textarea
              id={briefId}
              rows={4}
              value={form.brief}
              aria-invalid={errors.brief ? true : undefined}
              onChange={(e) => update({ brief: e.target.value })}
            />
            {errors.brief && <span className="field-error">The brief {errors.brief}.</span>}
          </div>
          <div className="examples">
            <span className="small muted">Examples:</span>
            {EXAMPLE_BRIEFS.map((example) => (
              <button key={example.name} type="button" className="example" title={example.brief} onClick={() => update({ brief: example.brief })}>
                {example.name}
              </button>
            ))}
          </div>

          <fieldset className="field strategy-field">
            <legend className="label">Selection strategy</legend>
            <div className="segmented">
              {(['optimal', 'greedy'] as const).map((strategy) => (
                <label key={strategy}>
                  <input
                    type="radio"
                    name="selection-strategy"
                    value={strategy}
                    checked={form.strategy === strategy}
                    aria-describedby={strategyHintId}
                    onChange={() => update({ strategy })}
                  />
                  {STRATEGY_LABELS[strategy]}
                </label>
              ))}
            </div>
            <span className="hint" id={strategyHintId}>
              {STRATEGY_HINTS[form.strategy]}
            </span>
          </fieldset>

          <div className="run-bar">
            <div className="actions">
              <button type="button" className="button" disabled={blocked || running || notAllowed !== null} aria-describedby={notAllowed ? notAllowedId : undefined} onClick={preview}>
                {run.kind === 'previewing' && <span className="spinner" aria-hidden="true" />}
                {run.kind === 'previewing' ? 'Previewing…' : spec ? 'Preview spec again' : 'Preview spec'}
              </button>
              <button
                type="button"
                className="button secondary"
                disabled={blocked || running || notAllowed !== null}
                aria-describedby={notAllowed ? notAllowedId : undefined}
                onClick={runProgram}
                title="Plan and run in one step, without reviewing the spec"
              >
                {run.kind === 'running-program' && <span className="spinner" aria-hidden="true" />}
                {run.kind === 'running-program' ? 'Running…' : 'Run program'}
              </button>
            </div>
            <div className="scenario-count">
              <label htmlFor={countId} className="small">
                Scenarios
              </label>
              <select id={countId} value={form.scenarioCount} onChange={(e) => update({ scenarioCount: Number(e.target.value) })}>
                {Array.from({ length: MAX_SCENARIOS }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              <button type="button" className="button secondary" disabled={blocked || running || notAllowed !== null} aria-describedby={notAllowed ? notAllowedId : undefined} onClick={runScenarios}>
                Run scenario analysis ({form.scenarioCount})
              </button>
            </div>
          </div>
          {notAllowed && (
            <p className="notice notice-warn run-blocked" id={notAllowedId}>
              {notAllowed}
            </p>
          )}
          <RunFeedback run={run} place="brief" blocked={blocked} errors={blockers} assets={form.assets} />
        </section>

        <CompanyPanel form={form} errors={errors} onChange={onChange} funds={funds} />
      </div>

      {spec && (
        <SpecPreview
          draft={spec}
          errors={specProblems}
          stale={spec.basis !== previewBasis(form)}
          assets={form.assets}
          onChange={(change) => onChange((f) => (f.spec ? { ...f, spec: change(f.spec) } : f))}
          onReplan={preview}
        >
          <div className="actions">
            <button
              type="button"
              className="button"
              disabled={blocked || specBlockers.length > 0 || running || notAllowed !== null}
              aria-describedby={notAllowed ? specNotAllowedId : undefined}
              onClick={() => runSpec(spec)}
            >
              {run.kind === 'running-spec' && <span className="spinner" aria-hidden="true" />}
              {run.kind === 'running-spec' ? 'Running…' : 'Run this spec'}
            </button>
            <span className="small muted">
              {STRATEGY_LABELS[form.strategy]} selection{spec.edited.length > 0 ? ` · ${spec.edited.length} field${spec.edited.length === 1 ? '' : 's'} edited` : ''}
            </span>
            <button type="button" className="link-button small" disabled={running} onClick={() => update({ spec: null })}>
              Discard the preview
            </button>
          </div>
          {notAllowed && (
            <p className="small muted run-feedback" id={specNotAllowedId}>
              {notAllowed}
            </p>
          )}
          {blocked && specBlockers.length === 0 && <p className="small muted run-feedback">Fix the problems listed under the brief before running.</p>}
          <RunFeedback run={run} place="spec" blocked={specBlockers.length > 0} errors={specBlockers} assets={form.assets} />
        </SpecPreview>
      )}

      <AssumptionsPanel form={form} errors={errors} onChange={onChange} />

      <PortfolioPanel
        source={form.source}
        assets={form.assets}
        kept={portfolioKept}
        onFile={loadFile}
        onUseDemo={() => update({ source: { kind: 'demo' }, assets: DEMO_PORTFOLIO.assets, corporate: corporateFields(DEMO_PORTFOLIO.corporateState) })}
      />
    </div>
  )
}

/** Progress, failures and what blocks a run, under the buttons of `place`. */
function RunFeedback({ run, place, blocked, errors, assets }: { run: RunState; place: Place; blocked: boolean; errors: string[]; assets: PlannerForm['assets'] }) {
  if ((run.kind === 'request-failed' || run.kind === 'run-failed') && run.place !== place) return null
  if (run.kind === 'running-scenarios') {
    if (place !== 'brief') return null
    return (
      <div className="progress run-feedback" role="status" aria-live="polite">
        <strong>
          Running scenario analysis: {run.count} scenario{run.count > 1 ? 's' : ''}…
        </strong>
        <div className="progress-track" role="progressbar" aria-label="Scenario analysis in progress" aria-busy="true" />
        <ol className="progress-steps">
          <li>1 · Generate {run.count} scenarios from the brief</li>
          <li>2 · Run each scenario through the engine</li>
          <li>3 · Save the set</li>
        </ol>
      </div>
    )
  }
  if (run.kind === 'request-failed') {
    return (
      <div className="run-feedback">
        <RequestErrorNotice error={run.error} assets={assets} />
      </div>
    )
  }
  if (run.kind === 'run-failed') {
    return (
      <div className="run-feedback">
        <ErrorNotice title="The run failed validation." lines={run.lines}>
          <p className="small">
            The failed run was saved: <Link to={paths.run(run.runId)}>view it</Link>.
          </p>
        </ErrorNotice>
      </div>
    )
  }
  if (blocked) {
    return (
      <div className="run-feedback">
        <ErrorNotice title="Fix these before running:" lines={errors} />
      </div>
    )
  }
  return null
}
