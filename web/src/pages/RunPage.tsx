import { useState } from 'react'
import { createRun, getRun } from '../api/client'
import { errorLines } from '../api/errors'
import type { ProgramResponse, RunRecord, SelectionStrategy } from '../api/types'
import { OutcomeBadge, RunStatusBadge, ScenarioBadge, StrategyBadge } from '../components/Badges'
import { Link } from '../components/Link'
import { ErrorNotice, LoadFailed, Loading, RequestErrorNotice } from '../components/Notices'
import { PageHeading } from '../components/PageHeading'
import { SectionIndex } from '../components/SectionIndex'
import { AssumptionsUsed } from '../components/run/AssumptionsUsed'
import { AuditTimeline } from '../components/run/AuditTimeline'
import { ConstraintChecklist } from '../components/run/ConstraintChecklist'
import { CostOfCapital } from '../components/run/CostOfCapital'
import { CreditView } from '../components/run/CreditView'
import { ExplanationSection } from '../components/run/ExplanationSection'
import { InsightsSection } from '../components/run/InsightsSection'
import { MetricsSection } from '../components/run/MetricsSection'
import { RunInputs } from '../components/run/RunInputs'
import { SelectedAssets } from '../components/run/SelectedAssets'
import { TargetSection } from '../components/run/TargetSection'
import { TransactionSection } from '../components/run/TransactionSection'
import { downloadText, exportFileName, programCsv, programJson } from '../lib/download'
import { dateTime, truncate } from '../lib/format'
import { readable } from '../lib/labels'
import { formFromRequest, type PlannerForm } from '../lib/plannerForm'
import { navigate, paths } from '../lib/router'
import { runBlockedReason, useIdentity } from '../lib/session'
import { useDocumentTitle } from '../lib/title'
import { useLoader } from '../lib/useLoader'

type PageProps = {
  runId: string
  /** The planner's current form (its scenario count is kept when a run is opened in it). */
  planner?: PlannerForm
  onOpenInPlanner?: (form: PlannerForm) => void
}

export function RunPage({ runId, planner, onOpenInPlanner }: PageProps) {
  const [run, reload] = useLoader(runId, getRun)
  if (run.state === 'loading') return <Loading what="the run" />
  if (run.state === 'error') {
    return (
      <LoadFailed error={run.error} onRetry={reload}>
        or go back to the <Link to={paths.runs}>runs</Link>.
      </LoadFailed>
    )
  }
  const open =
    onOpenInPlanner && planner
      ? (record: RunRecord) =>
          record.request &&
          onOpenInPlanner(
            formFromRequest(
              record.request,
              { runId: record.run_id, fundId: record.fund_id, provenance: record.response?.provenance ?? null, warnings: record.response?.planner_warnings ?? null },
              planner,
            ),
          )
      : undefined
  return <RunReport run={run.data} onOpenInPlanner={open} />
}

/** A run's title: its scenario label, or its brief, cut to fit a tab. */
function runTitle(run: RunRecord): string {
  const brief = truncate(run.program_description, 40)
  return run.scenario_label ? `${run.scenario_label}: ${truncate(run.program_description, 28)}` : brief
}

/** An infeasible run leads with its insights: why it failed and what would cure it. */
function leadsWithInsights(response: ProgramResponse): boolean {
  return response.outcome.status !== 'ok' && response.insights !== null && response.insights.length > 0
}

/** The sections of a report, in page order; the credit ones only when the run has them. */
function sections(response: ProgramResponse): { id: string; label: string }[] {
  const credit = response.credit_analysis !== null
  const insights = response.insights !== null ? [{ id: 'insights', label: 'Insights' }] : []
  const lead = leadsWithInsights(response)
  return [
    ...(lead ? insights : []),
    { id: 'target', label: 'Target vs achieved' },
    ...(lead ? [] : insights),
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
    { id: 'inputs', label: 'Inputs' },
    { id: 'audit', label: 'Audit trail' },
    { id: 'warnings', label: 'Warnings' },
  ]
}

type RerunState = { kind: 'idle' } | { kind: 'running' } | { kind: 'failed'; error: unknown } | { kind: 'run-failed'; runId: string; lines: string[] }

/** One run: the program, its numbers, why, how the loop got there, and what it was given. */
export function RunReport({ run, onOpenInPlanner }: { run: RunRecord; onOpenInPlanner?: (run: RunRecord) => void }) {
  const response = run.response
  const [rerun, setRerun] = useState<RerunState>({ kind: 'idle' })
  useDocumentTitle(`${runTitle(run)} — Run`)
  const request = run.request
  // A viewer's key may read the run but not run it again.
  const notAllowed = runBlockedReason(useIdentity())

  /** Posts the stored request again (optionally with another strategy) and opens the new run. */
  const runAgain = async (strategy?: SelectionStrategy) => {
    if (!request) return
    setRerun({ kind: 'running' })
    try {
      const created = await createRun(strategy ? { ...request, selection_strategy: strategy } : request, run.fund_id)
      if (created.status === 'completed') navigate(paths.run(created.run_id))
      else setRerun({ kind: 'run-failed', runId: created.run_id, lines: errorLines(created.error) })
    } catch (error) {
      setRerun({ kind: 'failed', error })
    }
  }

  const insights = response?.insights ?? null
  // The advice may say the exact optimiser finds a program the greedy walk missed: one click runs it.
  const optimalFinds = request !== null && request.selection_strategy !== 'optimal' && (insights ?? []).some((n) => n.id === 'insight_optimal_alternative')
  const insightsSection = response && insights !== null && (
    <InsightsSection insights={insights} infeasible={response.outcome.status !== 'ok'} assets={request?.assets}>
      {optimalFinds && (
        <p className="insight-action">
          <button type="button" className="button small" disabled={rerun.kind === 'running' || notAllowed !== null} title={notAllowed ?? undefined} onClick={() => runAgain('optimal')}>
            Re-run with the optimal strategy
          </button>
        </p>
      )}
    </InsightsSection>
  )
  return (
    <article className="run-report">
      <header className="page-header">
        <div>
          <p className="eyebrow">
            Run · {dateTime(run.created_at)}
            {run.fund_id && ` · Fund ${run.fund_id}`}
          </p>
          <PageHeading>{run.scenario_label ?? 'Program result'}</PageHeading>
          <p className="lede">“{run.program_description}”</p>
          {run.created_by && <p className="run-by">Run by {run.created_by}</p>}
          <p className="badges run-badges">
            <RunStatusBadge status={run.status} />
            {response && <OutcomeBadge status={response.outcome.status} />}
            {request && <StrategyBadge strategy={request.selection_strategy} />}
            {response?.audit_trace?.spec_source === 'request' && (
              <span className="badge" title="The spec was confirmed on the planner and run as sent">
                Confirmed spec
              </span>
            )}
            <ScenarioBadge label={run.scenario_label} kind={run.scenario_kind} />
            {run.scenario_set_id && <Link to={paths.scenarioSet(run.scenario_set_id)}>View scenario set</Link>}
          </p>
        </div>
        <div className="actions run-actions">
          {request && response && (
            <Link to={paths.analyses(run.run_id)} className="button secondary small">
              Analyses
            </Link>
          )}
          {request && onOpenInPlanner && (
            <button type="button" className="button secondary small" onClick={() => onOpenInPlanner(run)}>
              Open in planner
            </button>
          )}
          {request && (
            <button type="button" className="button secondary small" disabled={rerun.kind === 'running' || notAllowed !== null} title={notAllowed ?? undefined} onClick={() => runAgain()}>
              {rerun.kind === 'running' && <span className="spinner" aria-hidden="true" />}
              {rerun.kind === 'running' ? 'Re-running…' : 'Re-run'}
            </button>
          )}
          {response && (
            <>
              <button type="button" className="button secondary small" onClick={() => downloadText(exportFileName(run, 'csv'), programCsv(run), 'text/csv')}>
                Export CSV
              </button>
              <button type="button" className="button secondary small" onClick={() => downloadText(exportFileName(run, 'json'), programJson(run), 'application/json')}>
                Export JSON
              </button>
            </>
          )}
          <button type="button" className="button secondary small" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </header>
      {notAllowed && request && <p className="small muted run-blocked">{notAllowed}</p>}
      {rerun.kind === 'failed' && <RequestErrorNotice error={rerun.error} assets={request?.assets} />}
      {rerun.kind === 'run-failed' && (
        <ErrorNotice title="The re-run failed validation." lines={rerun.lines}>
          <p className="small">
            The failed run was saved: <Link to={paths.run(rerun.runId)}>view it</Link>.
          </p>
        </ErrorNotice>
      )}
      {response === null ? (
        <div className="stack">
          <ErrorNotice title="This run failed: the request did not pass validation." lines={errorLines(run.error)}>
            <p>
              Fix the portfolio or the brief on the <Link to={paths.planner}>planner</Link> and run it again.
            </p>
          </ErrorNotice>
          <RunInputs run={run} />
        </div>
      ) : (
        <div className="report">
          <SectionIndex sections={sections(response)} />
          <div className="report-body">
            {leadsWithInsights(response) && insightsSection}
            <TargetSection response={response} />
            {!leadsWithInsights(response) && insightsSection}
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
            <ConstraintChecklist spec={response.selector_spec} outcome={response.outcome} credit={response.credit_analysis} assets={run.request?.assets} />
            <SelectedAssets outcome={response.outcome} />
            <ExplanationSection explanation={response.explanation} assets={request?.assets} />
            <RunInputs run={run} />
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
                    <li key={i}>{readable(w)}</li>
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
