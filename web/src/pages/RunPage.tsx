import { getRun } from '../api/client'
import { errorLines } from '../api/errors'
import type { RunRecord } from '../api/types'
import { OutcomeBadge, RunStatusBadge, ScenarioBadge } from '../components/Badges'
import { Link } from '../components/Link'
import { ErrorNotice, LoadFailed, Loading } from '../components/Notices'
import { SectionIndex } from '../components/SectionIndex'
import { AuditTimeline } from '../components/run/AuditTimeline'
import { ConstraintChecklist } from '../components/run/ConstraintChecklist'
import { ExplanationSection } from '../components/run/ExplanationSection'
import { MetricsSection } from '../components/run/MetricsSection'
import { SelectedAssets } from '../components/run/SelectedAssets'
import { TargetSection } from '../components/run/TargetSection'
import { downloadText, exportFileName, programCsv, programJson } from '../lib/download'
import { dateTime } from '../lib/format'
import { paths } from '../lib/router'
import { useLoader } from '../lib/useLoader'

export function RunPage({ runId }: { runId: string }) {
  const [run, reload] = useLoader(runId, getRun)
  if (run.state === 'loading') return <Loading what="the run" />
  if (run.state === 'error') {
    return (
      <LoadFailed error={run.error} onRetry={reload}>
        or go back to the <Link to={paths.runs}>runs</Link>.
      </LoadFailed>
    )
  }
  return <RunReport run={run.data} />
}

const SECTIONS = [
  { id: 'target', label: 'Target vs achieved' },
  { id: 'metrics', label: 'Before → after' },
  { id: 'constraints', label: 'Constraints' },
  { id: 'assets', label: 'Selected assets' },
  { id: 'explanation', label: 'Explanation' },
  { id: 'audit', label: 'Audit trail' },
  { id: 'warnings', label: 'Warnings' },
]

/** One run: the program, its numbers, why, and how the loop got there. */
export function RunReport({ run }: { run: RunRecord }) {
  const response = run.response
  return (
    <article>
      <header className="page-header">
        <div>
          <p className="eyebrow">
            Run · {dateTime(run.created_at)}
            {run.fund_id && ` · Fund ${run.fund_id}`}
          </p>
          <h1>{run.scenario_label ?? 'Program result'}</h1>
          <p className="lede">“{run.program_description}”</p>
          <p className="badges run-badges">
            <RunStatusBadge status={run.status} />
            {response && <OutcomeBadge status={response.outcome.status} />}
            <ScenarioBadge label={run.scenario_label} kind={run.scenario_kind} />
            {run.scenario_set_id && <Link to={paths.scenarioSet(run.scenario_set_id)}>View scenario set</Link>}
          </p>
        </div>
        {response && (
          <div className="actions">
            <button type="button" className="button secondary small" onClick={() => downloadText(exportFileName(run, 'csv'), programCsv(run), 'text/csv')}>
              Export CSV
            </button>
            <button type="button" className="button secondary small" onClick={() => downloadText(exportFileName(run, 'json'), programJson(run), 'application/json')}>
              Export JSON
            </button>
          </div>
        )}
      </header>
      {response === null ? (
        <ErrorNotice title="This run failed: the request did not pass validation." lines={errorLines(run.error)}>
          <p>
            Fix the portfolio or the brief on the <Link to={paths.planner}>planner</Link> and run it again.
          </p>
        </ErrorNotice>
      ) : (
        <div className="report">
          <SectionIndex sections={SECTIONS} />
          <div className="report-body">
            <TargetSection response={response} />
            <MetricsSection outcome={response.outcome} limits={response.selector_spec.hard_constraints} />
            <ConstraintChecklist spec={response.selector_spec} outcome={response.outcome} />
            <SelectedAssets outcome={response.outcome} />
            <ExplanationSection explanation={response.explanation} />
            {response.audit_trace ? (
              <AuditTimeline trace={response.audit_trace} />
            ) : (
              <section className="panel" id="audit">
                <h2>Audit trail</h2>
                <p className="empty">This run has no audit trail.</p>
              </section>
            )}
            <section className="panel" id="warnings" aria-labelledby="warnings-title">
              <div className="panel-header">
                <h2 id="warnings-title">Warnings</h2>
              </div>
              {response.outcome.warnings.length === 0 ? (
                <p className="muted">No guardrail warnings.</p>
              ) : (
                <ul>
                  {response.outcome.warnings.map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        </div>
      )}
    </article>
  )
}
