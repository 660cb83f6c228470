import { getScenarioSet, type ScenarioSetWithRuns } from '../api/client'
import type { ProgramResponse, RunRecord } from '../api/types'
import { OutcomeBadge, RunStatusBadge } from '../components/Badges'
import { Link } from '../components/Link'
import { BarChart, type BarGroup } from '../components/charts/BarChart'
import { LoadFailed, Loading } from '../components/Notices'
import { afterTaxProceeds, creditMetric, lensValue } from '../lib/credit'
import { dateTime, moneyCompact, percent, ratio } from '../lib/format'
import { SCENARIO_KIND_LABELS } from '../lib/labels'
import { paths } from '../lib/router'
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
  return (
    <article>
      <header className="page-header">
        <div>
          <p className="eyebrow">Scenario set · {dateTime(summary.created_at)}</p>
          <h1>Scenario comparison</h1>
          <p className="lede">“{summary.brief}”</p>
          <p className="muted small">
            {runs.length} scenario{runs.length === 1 ? '' : 's'} · {completed} completed
            {completed < runs.length && ` · ${runs.length - completed} failed`}
          </p>
        </div>
        <Link className="button secondary small" to={paths.scenarioSets}>
          All scenario sets
        </Link>
      </header>
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
    <article className={run.response ? 'card' : 'card card-failed'} aria-label={`Scenario ${label}`}>
      <div className="badges">
        {run.scenario_kind && <span className="badge badge-scenario">{SCENARIO_KIND_LABELS[run.scenario_kind]}</span>}
        {run.response ? <OutcomeBadge status={run.response.outcome.status} /> : <RunStatusBadge status={run.status} />}
      </div>
      <h3>{label}</h3>
      {run.scenario_rationale && <p className="rationale">{run.scenario_rationale}</p>}
      {run.response ? <ScenarioFigures response={run.response} /> : <p className="why">{run.error ?? 'This scenario failed.'}</p>}
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
  return (
    <>
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
          <dt>Leverage after</dt>
          <dd>
            {ratio(outcome.leverage_after)}
            {limits.max_net_leverage !== null && <span className="muted"> / ≤ {ratio(limits.max_net_leverage)}</span>}
          </dd>
        </div>
        <div>
          <dt>
            <abbr title="Fixed-charge coverage">FCC</abbr> after
          </dt>
          <dd>
            {ratio(outcome.fixed_charge_coverage_after)}
            {limits.min_fixed_charge_coverage !== null && <span className="muted"> / ≥ {ratio(limits.min_fixed_charge_coverage)}</span>}
          </dd>
        </div>
        <div>
          <dt>
            <abbr title="Lease-adjusted leverage (rating agency: net debt plus a multiple of rent, over EBITDAR)">Lease-adj. leverage</abbr> after
          </dt>
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
          <dt>Interest coverage after</dt>
          <dd>{ratio(outcome.interest_coverage_after)}</dd>
        </div>
        <div>
          <dt>Assets sold</dt>
          <dd>{outcome.selected_assets.length}</dd>
        </div>
      </dl>
      {outcome.violations.length > 0 && <p className="why">{outcome.violations[0].detail}</p>}
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
    bars: [{ series: 'Leverage after', value: run.response?.outcome.leverage_after ?? null, tone: 'bar-after', limit: run.response?.selector_spec.hard_constraints.max_net_leverage }],
  }))
  const coverage: BarGroup[] = runs.map((run) => ({
    label: label(run),
    bars: [
      {
        series: 'Fixed-charge coverage after',
        value: run.response?.outcome.fixed_charge_coverage_after ?? null,
        tone: 'bar-after',
        limit: run.response?.selector_spec.hard_constraints.min_fixed_charge_coverage,
      },
    ],
  }))
  const today = (value: number | null | undefined) => (typeof value === 'number' ? [{ value, label: `Today ${ratio(value)}`, tone: 'reference' as const }] : [])
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
