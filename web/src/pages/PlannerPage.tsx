import { useId, useState } from 'react'
import { createRun, createScenarioSet } from '../api/client'
import { errorLines } from '../api/errors'
import { Link } from '../components/Link'
import { ErrorNotice, RequestErrorNotice } from '../components/Notices'
import { AssumptionsPanel } from '../components/planner/AssumptionsPanel'
import { CompanyPanel } from '../components/planner/CompanyPanel'
import { PortfolioPanel } from '../components/planner/PortfolioPanel'
import { DEMO_PORTFOLIO } from '../lib/demo'
import {
  EXAMPLE_BRIEFS,
  MAX_SCENARIOS,
  corporateFields,
  errorFieldName,
  formErrors,
  fundId,
  programRequest,
  scenarioSetRequest,
  type FormErrorKey,
  type PlannerForm,
} from '../lib/plannerForm'
import { readPortfolioFile } from '../lib/portfolio'
import { navigate, paths } from '../lib/router'

type RunState =
  | { kind: 'idle' }
  | { kind: 'running-program' }
  | { kind: 'running-scenarios'; count: number }
  | { kind: 'request-failed'; error: unknown }
  | { kind: 'run-failed'; runId: string; lines: string[] }

type Props = { form: PlannerForm; onChange: (update: (form: PlannerForm) => PlannerForm) => void }

export function PlannerPage({ form, onChange }: Props) {
  const [run, setRun] = useState<RunState>({ kind: 'idle' })
  const errors = formErrors(form)
  const blocked = Object.keys(errors).length > 0
  const running = run.kind === 'running-program' || run.kind === 'running-scenarios'
  const briefId = useId()
  const countId = useId()

  const update = (patch: Partial<PlannerForm>) => onChange((f) => ({ ...f, ...patch }))

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
      else setRun({ kind: 'run-failed', runId: created.run_id, lines: errorLines(created.error) })
    } catch (error) {
      setRun({ kind: 'request-failed', error })
    }
  }

  const runScenarios = async () => {
    setRun({ kind: 'running-scenarios', count: form.scenarioCount })
    try {
      const created = await createScenarioSet(scenarioSetRequest(form))
      navigate(paths.scenarioSet(created.scenario_set.id))
    } catch (error) {
      setRun({ kind: 'request-failed', error })
    }
  }

  return (
    <div className="planner">
      <header className="page-header">
        <div>
          <p className="eyebrow">Planner</p>
          <h1>Plan a sale-leaseback program</h1>
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

          <div className="run-bar">
            <button type="button" className="button" disabled={blocked || running} onClick={runProgram}>
              {run.kind === 'running-program' && <span className="spinner" aria-hidden="true" />}
              {run.kind === 'running-program' ? 'Running…' : 'Run program'}
            </button>
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
              <button type="button" className="button secondary" disabled={blocked || running} onClick={runScenarios}>
                Run scenario analysis ({form.scenarioCount})
              </button>
            </div>
          </div>
          <RunFeedback run={run} blocked={blocked} errors={Object.entries(errors).map(([field, message]) => `${errorFieldName(field as FormErrorKey)} ${message}.`)} assets={form.assets} />
        </section>

        <CompanyPanel form={form} errors={errors} onChange={onChange} />
      </div>

      <AssumptionsPanel form={form} errors={errors} onChange={onChange} />

      <PortfolioPanel
        source={form.source}
        assets={form.assets}
        onFile={loadFile}
        onUseDemo={() => update({ source: { kind: 'demo' }, assets: DEMO_PORTFOLIO.assets, corporate: corporateFields(DEMO_PORTFOLIO.corporateState) })}
      />
    </div>
  )
}

/** Progress, failures and what blocks a run, under the run buttons. */
function RunFeedback({ run, blocked, errors, assets }: { run: RunState; blocked: boolean; errors: string[]; assets: PlannerForm['assets'] }) {
  if (run.kind === 'running-scenarios') {
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
