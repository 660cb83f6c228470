import { getRun } from '../api/client'
import { errorLines } from '../api/errors'
import type { ProgramResponse, RunRecord } from '../api/types'
import { OutcomeBadge, RunStatusBadge, ScenarioBadge } from '../components/Badges'
import { Link } from '../components/Link'
import { ErrorNotice, LoadFailed, Loading } from '../components/Notices'
import { SectionIndex } from '../components/SectionIndex'
import { AssumptionsUsed } from '../components/run/AssumptionsUsed'
import { AuditTimeline } from '../components/run/AuditTimeline'
import { ConstraintChecklist } from '../components/run/ConstraintChecklist'
import { CostOfCapital } from '../components/run/CostOfCapital'
import { CreditView } from '../components/run/CreditView'
import { ExplanationSection } from '../components/run/ExplanationSection'
import { InsightsSection } from '../components/run/InsightsSection'
import { MetricsSection } from '../components/run/MetricsSection'
import { SelectedAssets } from '../components/run/SelectedAssets'
import { TargetSection } from '../components/run/TargetSection'
import { TransactionSection } from '../components/run/TransactionSection'
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

/** The sections of a report, in page order; the credit ones only when the run has them. */
function sections(response: ProgramResponse): { id: string; label: string }[] {
  const credit = response.credit_analysis !== null
  return [
    { id: 'target', label: 'Target vs achieved' },
    ...(response.insights !== null ? [{ id: 'insights', label: 'Insights' }] : []),
    { id: 'metrics', label: 'Before → after' },
    ...(credit
      ? [
          { id: 'credit', label: 'Credit view' },
          { id: 'transaction', label: 'Transaction' },
          { id: 'cost-of-capital', label: 'Cost of capital' },
          { id: 'assumptions', label: 'Assumptions' },
        ]
      : [{ id: 'credit', label: 'Credit view' }]),
    { id: 'constraints', label: 'Constraints' },
    { id: 'assets', label: 'Selected assets' },
    { id: 'explanation', label: 'Explanation' },
    { id: 'audit', label: 'Audit trail' },
    { id: 'warnings', label: 'Warnings' },
  ]
}

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
          <SectionIndex sections={sections(response)} />
          <div className="report-body">
            <TargetSection response={response} />
            {response.insights !== null && <InsightsSection insights={response.insights} />}
            <MetricsSection outcome={response.outcome} limits={response.selector_spec.hard_constraints} />
            {response.credit_analysis !== null ? (
              <>
                <CreditView analysis={response.credit_analysis} outcome={response.outcome} />
                <TransactionSection analysis={response.credit_analysis} />
                <div className="two-columns credit-columns">
                  <CostOfCapital analysis={response.credit_analysis} />
                  <AssumptionsUsed assumptions={response.credit_analysis.assumptions} />
                </div>
              </>
            ) : (
              <section className="panel" id="credit" aria-labelledby="credit-title">
                <div className="panel-header">
                  <h2 id="credit-title">Credit view</h2>
                </div>
                <p className="empty">This run was stored before the credit analysis existed. Run the brief again to see it through every credit lens.</p>
              </section>
            )}
            <ConstraintChecklist spec={response.selector_spec} outcome={response.outcome} credit={response.credit_analysis} />
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
