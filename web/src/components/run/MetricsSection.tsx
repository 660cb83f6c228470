import type { HardConstraints, ProgramOutcome } from '../../api/types'
import { meaningfulRatio, percent, ratio } from '../../lib/format'
import { METRIC_LABELS } from '../../lib/labels'
import { BarChart } from '../charts/BarChart'

type Row = {
  label: string
  /** Shorter label for the chart's axis. */
  short: string
  before: number | null
  after: number | null
  limit: number | null
  limitKind: 'max' | 'min'
  /** Whether a higher value is better, for the change column. */
  higherIsBetter: boolean
}

/** Before → after metrics, as a table and a chart. */
export function MetricsSection({ outcome, limits }: { outcome: ProgramOutcome; limits: HardConstraints }) {
  const rows: Row[] = [
    { label: METRIC_LABELS.net_leverage, short: 'Net leverage', before: outcome.leverage_before, after: outcome.leverage_after, limit: limits.max_net_leverage, limitKind: 'max', higherIsBetter: false },
    { label: METRIC_LABELS.interest_coverage, short: 'Interest cov.', before: outcome.interest_coverage_before, after: outcome.interest_coverage_after, limit: limits.min_interest_coverage, limitKind: 'min', higherIsBetter: true },
    { label: METRIC_LABELS.fixed_charge_coverage, short: 'Fixed-charge cov.', before: outcome.fixed_charge_coverage_before, after: outcome.fixed_charge_coverage_after, limit: limits.min_fixed_charge_coverage, limitKind: 'min', higherIsBetter: true },
  ]
  return (
    <section className="panel" id="metrics" aria-labelledby="metrics-title">
      <div className="panel-header">
        <h2 id="metrics-title">Before → after</h2>
        <p>Credit metrics of the company before the program and after the sale-leasebacks. n/m: not meaningful (EBITDA is zero or negative).</p>
      </div>
      <div className="metrics-grid">
        <div className="table-scroll">
          <table className="data">
            <caption className="visually-hidden">Metrics before and after the program</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" className="num">Before</th>
                <th scope="col" className="num">After</th>
                <th scope="col" className="num">Change</th>
                <th scope="col" className="num">Limit</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.label}>
                  <th scope="row" className="row-head">
                    {row.label}
                  </th>
                  <td className="num">{ratio(row.before)}</td>
                  <td className="num">{ratio(row.after)}</td>
                  <td className="num">{change(row)}</td>
                  <td className="num">{row.limit === null ? '—' : `${row.limitKind === 'max' ? '≤' : '≥'} ${ratio(row.limit)}`}</td>
                </tr>
              ))}
              <tr>
                <th scope="row" className="row-head">
                  {METRIC_LABELS.critical_fraction}
                </th>
                <td className="num">—</td>
                <td className="num">{percent(outcome.critical_fraction)}</td>
                <td className="num" />
                <td className="num">{limits.max_critical_fraction === null ? '—' : `≤ ${percent(limits.max_critical_fraction)}`}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <div>
          <BarChart
            title="Leverage and coverage before and after the program"
            format={(v) => ratio(v, 1)}
            groups={rows.map((row) => ({
              label: row.short,
              bars: [
                { series: 'Before', value: meaningfulRatio(row.before), tone: 'bar-before' },
                { series: 'After', value: meaningfulRatio(row.after), tone: 'bar-after', limit: row.limit },
              ],
            }))}
          />
          <div className="legend">
            <span className="key-before">Before</span>
            <span className="key-after">After</span>
            <span className="key-limit">Limit</span>
          </div>
        </div>
      </div>
    </section>
  )
}

function change(row: Row): string {
  const before = meaningfulRatio(row.before)
  const after = meaningfulRatio(row.after)
  if (before === null || after === null) return ''
  const delta = after - before
  if (Math.abs(delta) < 0.005) return 'unchanged'
  const better = row.higherIsBetter ? delta > 0 : delta < 0
  return `${delta > 0 ? '+' : '−'}${Math.abs(delta).toFixed(2)}x ${better ? 'better' : 'worse'}`
}
