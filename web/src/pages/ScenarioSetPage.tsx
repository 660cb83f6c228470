import { getScenarioSet, type ScenarioSetWithRuns } from '../api/client'
import type { ProgramResponse, RunRecord } from '../api/types'
import { OutcomeBadge, RunStatusBadge, StrategyBadge } from '../components/Badges'
import { Link } from '../components/Link'
import { PageHeading } from '../components/PageHeading'
import { BarChart, type BarGroup } from '../components/charts/BarChart'
import { LoadFailed, Loading } from '../components/Notices'
import { afterTaxProceeds, creditMetric, lensValue } from '../lib/credit'
import { downloadText } from '../lib/download'
import { dateTime, meaningfulRatio, moneyCompact, percent, ratio, truncate } from '../lib/format'
import { METRIC_LABELS, SCENARIO_KIND_LABELS, SEVERITY_LABELS, bySeverity, readable } from '../lib/labels'
import { paths } from '../lib/router'
import { scenarioSetCsv, scenarioSetFileName, scenarioSetJson } from '../lib/scenarioExport'
import { useDocumentTitle } from '../lib/title'
import { useLoader } from '../lib/useLoader'

export function ScenarioSetPage({ setId }: { setId: string }) {
  const [set, reload] = useLoader(setId, getScenarioSet)
  if (set.state === 'loading') return <Loading what="the scenario set" />
  if (set.state === 'error') {
    return (
      <LoadFailed error={set.error} onRetry={reload}>
        or see all <Link to={paths.scenarioSets}>scenario sets</Link>.
      </LoadFailed>
    )
  }
  return <ScenarioComparison set={set.data} />
}

/** One card per scenario and charts across them. */
export function ScenarioComparison({ set }: { set: ScenarioSetWithRuns }) {
  const { scenario_set: summary, runs } = set
  const completed = runs.filter((r) => r.response !== null).length
  useDocumentTitle(`${truncate(summary.brief, 40)} — Scenario comparison`)
  const notes = summary.notes ?? []
  return (
    <article>
      <header className="page-header">
        <div>
          <p className="eyebrow">Scenario set · {dateTime(summary.created_at)}</p>
          <PageHeading>Scenario comparison</PageHeading>
          <p className="lede">“{summary.brief}”</p>
          <p className="muted small">
            {runs.length} scenario{runs.length === 1 ? '' : 's'} · {completed} completed
            {completed < runs.length && ` · ${runs.length - completed} failed`}
          </p>
        </div>
        <div className="actions">
          <button type="button" className="button secondary small" onClick={() => downloadText(scenarioSetFileName(set, 'csv'), scenarioSetCsv(set), 'text/csv')}>
            Export CSV
          </button>
          <button type="button" className="button secondary small" onClick={() => downloadText(scenarioSetFileName(set, 'json'), scenarioSetJson(set), 'application/json')}>
            Export JSON
          </button>
          <Link className="button secondary small" to={paths.scenarioSets}>
            All scenario sets
          </Link>
        </div>
      </header>
      {notes.length > 0 && (
        <div className="notice notice-info set-notes">
          <h3>How the planner's scenarios were adjusted</h3>
          <ul>
            {notes.map((note, i) => (
              <li key={i}>{readable(note)}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="stack">
        <section aria-labelledby="cards-title">
          <h2 id="cards-title" className="visually-hidden">
            Scenarios
          </h2>
          <div className="cards">
            {runs.map((run) => (
              <ScenarioCard key={run.run_id} run={run} />
            ))}
          </div>
        </section>
        <ComparisonCharts runs={runs} />
      </div>
    </article>
  )
}

function ScenarioCard({ run }: { run: RunRecord }) {
  const label = run.scenario_label ?? 'Scenario'
  return (
    <article className={run.response ? (run.response.outcome.status === 'ok' ? 'card' : 'card card-infeasible') : 'card card-failed'} aria-label={`Scenario ${label}`}>
      <div className="badges">
        {run.scenario_kind && <span className="badge badge-scenario">{SCENARIO_KIND_LABELS[run.scenario_kind]}</span>}
        {run.response ? <OutcomeBadge status={run.response.outcome.status} /> : <RunStatusBadge status={run.status} />}
        {run.request && <StrategyBadge strategy={run.request.selection_strategy} />}
      </div>
      <h3>{label}</h3>
      {run.scenario_rationale && <p className="rationale">{run.scenario_rationale}</p>}
      {run.response ? <ScenarioFigures response={run.response} /> : <p className="why">{run.error ?? 'This scenario failed.'}</p>}
      {run.created_by && <p className="run-by">Run by {run.created_by}</p>}
      <Link to={paths.run(run.run_id)}>View run →</Link>
    </article>
  )
}

/** The scenario's ask, what it raised, the metrics it leaves (against its limits), and why it fell short. */
function ScenarioFigures({ response }: { response: ProgramResponse }) {
  const { outcome, selector_spec: spec } = response
  const target = response.audit_trace?.original_target ?? spec.target_amount
  const limits = spec.hard_constraints
  const credit = response.credit_analysis
  // An infeasible scenario leads with the advice: its most severe insights.
  const advice = outcome.status === 'ok' ? [] : bySeverity(response.insights ?? []).filter((n) => n.severity !== 'info').slice(0, 2)
  return (
    <>
      {advice.length > 0 && (
        <ul className="card-advice" aria-label="Why it falls short and what would work">
          {advice.map((node) => (
            <li key={node.id} data-node={node.id}>
              <span className="visually-hidden">{SEVERITY_LABELS[node.severity]}: </span>
              <strong>{readable(node.label)}</strong>
              {node.detail && <span className="card-advice-detail"> {readable(node.detail)}</span>}
            </li>
          ))}
        </ul>
      )}
      <dl>
        <div>
          <dt>Target</dt>
          <dd>{moneyCompact(target)}</dd>
        </div>
        {spec.target_amount !== target && (
          <div>
            <dt>Revised target</dt>
            <dd>{moneyCompact(spec.target_amount)}</dd>
          </div>
        )}
        <div>
          <dt>Proceeds</dt>
          <dd>
            {moneyCompact(outcome.proceeds)}
            <span className="muted"> ({percent(outcome.proceeds / target, 0)})</span>
          </dd>
        </div>
        <div>
          <dt>{METRIC_LABELS.net_leverage} after</dt>
          <dd>
            {ratio(outcome.leverage_after)}
            {limits.max_net_leverage !== null && <span className="muted"> / ≤ {ratio(limits.max_net_leverage)}</span>}
          </dd>
        </div>
        <div>
          <dt>{METRIC_LABELS.fixed_charge_coverage} after</dt>
          <dd>
            {ratio(outcome.fixed_charge_coverage_after)}
            {limits.min_fixed_charge_coverage !== null && <span className="muted"> / ≥ {ratio(limits.min_fixed_charge_coverage)}</span>}
          </dd>
        </div>
        <div>
          <dt title="Rating agency: net debt plus a multiple of rent, over EBITDAR">{METRIC_LABELS.lease_adjusted_leverage} after</dt>
          <dd>
            {credit ? lensValue(creditMetric(credit, 'lease_adjusted_leverage')?.after) : '—'}
            {limits.max_lease_adjusted_leverage != null && <span className="muted"> / ≤ {ratio(limits.max_lease_adjusted_leverage)}</span>}
          </dd>
        </div>
        <div>
          <dt>
            <abbr title="Gross proceeds less the tax on the gain">After-tax proceeds</abbr>
          </dt>
          <dd>{credit ? moneyCompact(afterTaxProceeds(credit)) : '—'}</dd>
        </div>
        <div>
          <dt>{METRIC_LABELS.interest_coverage} after</dt>
          <dd>{ratio(outcome.interest_coverage_after)}</dd>
        </div>
        <div>
          <dt>Assets sold</dt>
          <dd>{outcome.selected_assets.length}</dd>
        </div>
      </dl>
      {advice.length === 0 && outcome.violations.length > 0 && <p className="why">{readable(outcome.violations[0].detail)}</p>}
    </>
  )
}

function ComparisonCharts({ runs }: { runs: RunRecord[] }) {
  const label = (run: RunRecord) => run.scenario_label ?? run.run_id.slice(0, 8)
  const completed = runs.filter((r) => r.response !== null)
  const baseline = completed[0]?.response?.outcome
  const proceeds: BarGroup[] = runs.map((run) => ({
    label: label(run),
    bars: [
      { series: 'Target', value: run.response?.audit_trace?.original_target ?? run.response?.selector_spec.target_amount ?? null, tone: 'bar-target' },
      { series: 'Proceeds', value: run.response?.outcome.proceeds ?? null, tone: 'bar-after' },
    ],
  }))
  const leverage: BarGroup[] = runs.map((run) => ({
    label: label(run),
    bars: [{ series: 'Net leverage after', value: meaningfulRatio(run.response?.outcome.leverage_after), tone: 'bar-after', limit: run.response?.selector_spec.hard_constraints.max_net_leverage }],
  }))
  const coverage: BarGroup[] = runs.map((run) => ({
    label: label(run),
    bars: [
      {
        series: 'Fixed-charge coverage after',
        value: meaningfulRatio(run.response?.outcome.fixed_charge_coverage_after),
        tone: 'bar-after',
        limit: run.response?.selector_spec.hard_constraints.min_fixed_charge_coverage,
      },
    ],
  }))
  const today = (value: number | null | undefined) => {
    const meaningful = meaningfulRatio(value)
    return meaningful === null ? [] : [{ value: meaningful, label: `Today ${ratio(meaningful)}`, tone: 'reference' as const }]
  }
  return (
    <section className="panel" aria-labelledby="charts-title">
      <div className="panel-header">
        <h2 id="charts-title">Across scenarios</h2>
        <p>Proceeds against each scenario's target, and the credit metrics each one leaves behind.</p>
      </div>
      <div className="chart-grid">
        <figure className="wide">
          <figcaption>Proceeds vs target</figcaption>
          <BarChart title="Proceeds versus target by scenario" groups={proceeds} format={moneyCompact} width={920} height={250} />
          <div className="legend">
            <span className="key-target">Target</span>
            <span className="key-after">Proceeds</span>
          </div>
        </figure>
        <figure>
          <figcaption>Net leverage after</figcaption>
          <BarChart title="Net leverage after the program by scenario" groups={leverage} format={(v) => ratio(v, 1)} references={today(baseline?.leverage_before)} />
          <div className="legend">
            <span className="key-after">After</span>
            <span className="key-limit">Scenario limit</span>
          </div>
        </figure>
        <figure>
          <figcaption>Fixed-charge coverage after</figcaption>
          <BarChart
            title="Fixed-charge coverage after the program by scenario"
            groups={coverage}
            format={(v) => ratio(v, 1)}
            references={today(baseline?.fixed_charge_coverage_before)}
          />
          <div className="legend">
            <span className="key-after">After</span>
            <span className="key-limit">Scenario limit</span>
          </div>
        </figure>
      </div>
    </section>
  )
}
