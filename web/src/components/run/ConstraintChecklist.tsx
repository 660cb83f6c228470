import type { AssetType, CreditAnalysis, ProgramOutcome, SelectorSpec } from '../../api/types'
import { creditMetric, lensValue } from '../../lib/credit'
import { decimal, moneyCompact, percent, ratio } from '../../lib/format'
import { ASSET_TYPE_LABELS } from '../../lib/labels'
import { TARGET_TOLERANCE } from '../../lib/metrics'

type Check = {
  key: string
  label: string
  /** pass / fail come from the engine's violations; info = not a limit, or not set. */
  state: 'pass' | 'fail' | 'info'
  values: string
  detail?: string
}

/** Each limit of the spec with the engine's verdict, plus the filters that shaped the pool. */
export function ConstraintChecklist({ spec, outcome, credit = null }: { spec: SelectorSpec; outcome: ProgramOutcome; credit?: CreditAnalysis | null }) {
  const checks = buildChecks(spec, outcome, credit)
  const failed = checks.filter((c) => c.state === 'fail').length
  return (
    <section className="panel" id="constraints" aria-labelledby="constraints-title">
      <div className="panel-header">
        <h2 id="constraints-title">Constraint checklist</h2>
        <p>{failed === 0 ? 'Every limit of the spec holds after the program.' : `${failed} limit${failed > 1 ? 's are' : ' is'} breached.`}</p>
      </div>
      <ul className="checklist">
        {checks.map((check) => (
          <li key={check.key} className={`check-${check.state}`}>
            <span className="check-mark" aria-hidden="true">
              {check.state === 'pass' ? '✓' : check.state === 'fail' ? '✗' : '–'}
            </span>
            <span>
              {check.label}
              <span className="visually-hidden">{check.state === 'pass' ? ' (met)' : check.state === 'fail' ? ' (breached)' : ''}</span>
              {check.detail && <span className="check-detail">{check.detail}</span>}
            </span>
            <span className="check-values">{check.values}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}

function buildChecks(spec: SelectorSpec, outcome: ProgramOutcome, credit: CreditAnalysis | null): Check[] {
  const violation = (code: string) => outcome.violations.find((v) => v.code === code)
  const verdict = (code: string): 'pass' | 'fail' => (violation(code) ? 'fail' : 'pass')
  const limits = spec.hard_constraints
  const checks: Check[] = [
    {
      key: 'target',
      label: `Proceeds reach the target (within ${(TARGET_TOLERANCE * 100).toFixed(0)}%)`,
      state: verdict('TARGET_NOT_MET'),
      values: `${moneyCompact(outcome.proceeds)} of ${moneyCompact(spec.target_amount)}`,
      detail: violation('TARGET_NOT_MET')?.detail,
    },
  ]
  const limit = (key: string, code: string, label: string, value: number | null, actual: string, shown: (v: number) => string) => {
    checks.push(
      value === null
        ? { key, label: `${label}: not set`, state: 'info', values: actual }
        : { key, label: `${label} ${shown(value)}`, state: verdict(code), values: actual, detail: violation(code)?.detail },
    )
  }
  limit('leverage', 'MAX_NET_LEVERAGE', 'Net leverage ≤', limits.max_net_leverage, ratio(outcome.leverage_after), ratio)
  limit('interest', 'MIN_INTEREST_COVERAGE', 'Interest coverage ≥', limits.min_interest_coverage, ratio(outcome.interest_coverage_after), ratio)
  limit('fcc', 'MIN_FIXED_CHARGE_COVERAGE', 'Fixed-charge coverage ≥', limits.min_fixed_charge_coverage, ratio(outcome.fixed_charge_coverage_after), ratio)
  limit('critical', 'MAX_CRITICAL_FRACTION', 'Critical share of sold NOI ≤', limits.max_critical_fraction, percent(outcome.critical_fraction), (v) => percent(v))
  // The lease-aware limits (docs/credit.md §1.3) are listed only when the spec sets them.
  const leaseAdjusted = limits.max_lease_adjusted_leverage ?? null
  if (leaseAdjusted !== null) {
    limit('lease-adjusted', 'MAX_LEASE_ADJUSTED_LEVERAGE', 'Lease-adjusted leverage ≤', leaseAdjusted, lensValue(creditMetric(credit, 'lease_adjusted_leverage')?.after), ratio)
  }
  const covenant = limits.max_covenant_leverage ?? null
  if (covenant !== null) {
    limit('covenant', 'MAX_COVENANT_LEVERAGE', 'Covenant leverage (after rent) ≤', covenant, lensValue(creditMetric(credit, 'covenant_leverage')?.after), ratio)
  }
  const noAssets = violation('NO_ELIGIBLE_ASSETS')
  if (noAssets) checks.push({ key: 'eligible', label: 'Eligible assets exist after the filters', state: 'fail', values: '', detail: noAssets.detail })
  checks.push(...filterChecks(spec))
  return checks
}

function filterChecks(spec: SelectorSpec): Check[] {
  const f = spec.asset_filters
  const types = (list: AssetType[] | null) => (list ?? []).map((t) => ASSET_TYPE_LABELS[t]).join(', ')
  const filters: Check[] = []
  if (f.include_asset_types?.length) filters.push({ key: 'include', label: 'Only these asset types', state: 'info', values: types(f.include_asset_types) })
  if (f.exclude_asset_types?.length) filters.push({ key: 'exclude', label: 'Excluded asset types', state: 'info', values: types(f.exclude_asset_types) })
  if (f.exclude_markets?.length) filters.push({ key: 'markets', label: 'Excluded markets', state: 'info', values: f.exclude_markets.join('; ') })
  if (f.max_criticality !== null) filters.push({ key: 'max-crit', label: 'Asset criticality at most', state: 'info', values: decimal(f.max_criticality) })
  if (f.min_leaseability_score !== null) filters.push({ key: 'min-lease', label: 'Leaseability score at least', state: 'info', values: decimal(f.min_leaseability_score) })
  return filters
}
