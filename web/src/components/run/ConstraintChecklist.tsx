import type { Asset, AssetType, CreditAnalysis, ProgramOutcome, SelectorSpec } from '../../api/types'
import { creditMetric } from '../../lib/credit'
import { NOT_MEANINGFUL, decimal, meaningfulRatio, moneyCompact, percent, ratio } from '../../lib/format'
import { ASSET_TYPE_LABELS, METRIC_LABELS, OBJECTIVE_LABELS, readable } from '../../lib/labels'
import { TARGET_TOLERANCE } from '../../lib/metrics'

type Check = {
  key: string
  label: string
  /**
   * pass / fail come from the engine's violations; nm = the metric is not meaningful (EBITDA
   * ≤ 0), so its limit cannot be met; info = not a limit, or not set.
   */
  state: 'pass' | 'fail' | 'nm' | 'info'
  values: string
  detail?: string
}

const MARKS: Record<Check['state'], string> = { pass: '✓', fail: '✗', nm: '✗', info: '–' }
const SPOKEN: Record<Check['state'], string> = { pass: ' (met)', fail: ' (breached)', nm: ' (not met: not meaningful)', info: '' }

/** Each limit of the spec with the engine's verdict, plus the filters that shaped the pool. */
export function ConstraintChecklist({ spec, outcome, credit = null, assets }: { spec: SelectorSpec; outcome: ProgramOutcome; credit?: CreditAnalysis | null; assets?: Asset[] }) {
  const checks = buildChecks(spec, outcome, credit, assets ?? [])
  const failed = checks.filter((c) => c.state === 'fail' || c.state === 'nm').length
  return (
    <section className="panel" id="constraints" aria-labelledby="constraints-title">
      <div className="panel-header">
        <h2 id="constraints-title">Constraint checklist</h2>
        <p>{failed === 0 ? 'Every limit of the spec holds after the program.' : `${failed} limit${failed > 1 ? 's are' : ' is'} not met.`}</p>
      </div>
      <ul className="checklist">
        {checks.map((check) => (
          <li key={check.key} className={`check-${check.state}`}>
            <span className="check-mark" aria-hidden="true">
              {MARKS[check.state]}
            </span>
            <span>
              {check.label}
              <span className="visually-hidden">{SPOKEN[check.state]}</span>
              {check.detail && <span className="check-detail">{readable(check.detail)}</span>}
            </span>
            <span className="check-values">{check.values}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}

const NOT_MEANINGFUL_DETAIL = 'Not meaningful: EBITDA after the program is zero or negative, so no ratio can meet this limit.'

function buildChecks(spec: SelectorSpec, outcome: ProgramOutcome, credit: CreditAnalysis | null, assets: Asset[]): Check[] {
  const violation = (code: string) => outcome.violations.find((v) => v.code === code)
  const limits = spec.hard_constraints
  const checks: Check[] = [
    {
      key: 'target',
      label: `Proceeds reach the target (within ${(TARGET_TOLERANCE * 100).toFixed(0)}%)`,
      state: violation('TARGET_NOT_MET') ? 'fail' : 'pass',
      values: `${moneyCompact(outcome.proceeds)} of ${moneyCompact(spec.target_amount)}`,
      detail: violation('TARGET_NOT_MET')?.detail,
    },
  ]
  /**
   * A limit on a ratio: the engine's verdict, except that a ratio that is not meaningful (null,
   * or negative from EBITDA ≤ 0) never meets its limit, whatever the reference check says.
   */
  const ratioLimit = (key: string, code: string, label: string, limit: number | null | undefined, actual: number | null | undefined) => {
    const value = meaningfulRatio(actual)
    const shown = value === null ? NOT_MEANINGFUL : ratio(value)
    if (limit === null || limit === undefined) {
      checks.push({ key, label: `${label}: not set`, state: 'info', values: shown })
      return
    }
    const breach = violation(code)
    const state = breach ? 'fail' : value === null ? 'nm' : 'pass'
    checks.push({ key, label: `${label} ${ratio(limit)}`, state, values: shown, detail: breach?.detail ?? (state === 'nm' ? NOT_MEANINGFUL_DETAIL : undefined) })
  }
  ratioLimit('leverage', 'MAX_NET_LEVERAGE', `${METRIC_LABELS.net_leverage} ≤`, limits.max_net_leverage, outcome.leverage_after)
  ratioLimit('interest', 'MIN_INTEREST_COVERAGE', `${METRIC_LABELS.interest_coverage} ≥`, limits.min_interest_coverage, outcome.interest_coverage_after)
  ratioLimit('fcc', 'MIN_FIXED_CHARGE_COVERAGE', `${METRIC_LABELS.fixed_charge_coverage} ≥`, limits.min_fixed_charge_coverage, outcome.fixed_charge_coverage_after)
  const critical = limits.max_critical_fraction
  checks.push(
    critical === null
      ? { key: 'critical', label: `${METRIC_LABELS.critical_fraction} ≤: not set`, state: 'info', values: percent(outcome.critical_fraction) }
      : {
          key: 'critical',
          label: `${METRIC_LABELS.critical_fraction} ≤ ${percent(critical)}`,
          state: violation('MAX_CRITICAL_FRACTION') ? 'fail' : 'pass',
          values: percent(outcome.critical_fraction),
          detail: violation('MAX_CRITICAL_FRACTION')?.detail,
        },
  )
  // The lease-aware limits and the count (docs/credit.md §1.3) are listed only when the spec sets them.
  if (limits.max_lease_adjusted_leverage != null) {
    ratioLimit('lease-adjusted', 'MAX_LEASE_ADJUSTED_LEVERAGE', `${METRIC_LABELS.lease_adjusted_leverage} ≤`, limits.max_lease_adjusted_leverage, creditMetric(credit, 'lease_adjusted_leverage')?.after)
  }
  if (limits.max_covenant_leverage != null) {
    ratioLimit('covenant', 'MAX_COVENANT_LEVERAGE', `${METRIC_LABELS.covenant_leverage} ≤`, limits.max_covenant_leverage, creditMetric(credit, 'covenant_leverage')?.after)
  }
  if (limits.max_assets_sold != null) {
    const breach = violation('MAX_ASSETS_SOLD')
    checks.push({
      key: 'assets-sold',
      label: `Assets sold ≤ ${limits.max_assets_sold}`,
      state: breach ? 'fail' : 'pass',
      values: String(outcome.selected_assets.length),
      detail: breach?.detail,
    })
  }
  const noAssets = violation('NO_ELIGIBLE_ASSETS')
  if (noAssets) checks.push({ key: 'eligible', label: 'Eligible assets exist after the filters', state: 'fail', values: '', detail: noAssets.detail })
  checks.push({ key: 'objective', label: 'Objective', state: 'info', values: OBJECTIVE_LABELS[spec.objective] })
  checks.push(...filterChecks(spec, assets))
  return checks
}

function filterChecks(spec: SelectorSpec, assets: Asset[]): Check[] {
  const f = spec.asset_filters
  const types = (list: AssetType[] | null) => (list ?? []).map((t) => ASSET_TYPE_LABELS[t]).join(', ')
  const names = new Map(assets.map((a) => [a.asset_id, a.name ?? a.asset_id]))
  const assetList = (ids: string[]) => ids.map((id) => names.get(id) ?? id).join(', ')
  const filters: Check[] = []
  if (f.include_asset_types?.length) filters.push({ key: 'include', label: 'Only these asset types', state: 'info', values: types(f.include_asset_types) })
  if (f.exclude_asset_types?.length) filters.push({ key: 'exclude', label: 'Excluded asset types', state: 'info', values: types(f.exclude_asset_types) })
  if (f.exclude_markets?.length) filters.push({ key: 'markets', label: 'Excluded markets', state: 'info', values: f.exclude_markets.join('; ') })
  if (f.include_asset_ids?.length) filters.push({ key: 'include-ids', label: 'Only these assets', state: 'info', values: assetList(f.include_asset_ids) })
  if (f.exclude_asset_ids?.length) filters.push({ key: 'exclude-ids', label: 'Excluded assets', state: 'info', values: assetList(f.exclude_asset_ids) })
  if (f.max_criticality !== null) filters.push({ key: 'max-crit', label: 'Asset criticality at most', state: 'info', values: decimal(f.max_criticality) })
  if (f.min_leaseability_score !== null) filters.push({ key: 'min-lease', label: 'Leaseability score at least', state: 'info', values: decimal(f.min_leaseability_score) })
  return filters
}
