// The credit analysis of a run (docs/credit.md): names of the six lenses, their verdicts against
// the spec's limits, and the figures the report and the scenario cards derive from it.
import type { CreditAnalysis, CreditMetric, CreditMetricName, ProgramOutcome } from '../api/types'
import { isNumber, moneyCompact, percent, ratio } from './format'

type Lens = {
  label: string
  /** Whose view it is, in a few words. */
  basis: string
  /** Leverage: lower is better and a limit is a maximum; coverage: the reverse. */
  kind: 'leverage' | 'coverage'
  /** The violation code of the hard constraint on this lens, if there is one. */
  violation: string | null
}

export const LENSES: Record<CreditMetricName, Lens> = {
  // The reference model's net leverage: the same number as "Net leverage" elsewhere in the report.
  reported_leverage: { label: 'Net leverage', basis: 'Reported · reference model', kind: 'leverage', violation: 'MAX_NET_LEVERAGE' },
  covenant_leverage: { label: 'Covenant leverage', basis: 'US GAAP', kind: 'leverage', violation: 'MAX_COVENANT_LEVERAGE' },
  lease_adjusted_leverage: { label: 'Lease-adjusted leverage', basis: 'Rating agency', kind: 'leverage', violation: 'MAX_LEASE_ADJUSTED_LEVERAGE' },
  ifrs16_leverage: { label: 'IFRS 16 leverage', basis: 'Lease liability at PV', kind: 'leverage', violation: null },
  // Not the reference's interest and fixed-charge coverage (those keep EBITDA whole): named apart.
  covenant_interest_coverage: { label: 'Covenant interest coverage', basis: 'Covenant, after rent', kind: 'coverage', violation: null },
  ebitdar_fixed_charge_coverage: { label: 'EBITDAR fixed-charge coverage', basis: 'EBITDAR', kind: 'coverage', violation: null },
}

/** A lens value: 3.75x, or n/m when the engine says it is not meaningful (never a negative ratio). */
export function lensValue(value: number | null | undefined): string {
  return ratio(value)
}

/**
 * Whether the lens meets its limit after the program; null when it has no limit. A lens that
 * is not meaningful (null, or negative from EBITDA ≤ 0) never meets a limit: 'not-meaningful'.
 */
export function lensVerdict(metric: CreditMetric, outcome: ProgramOutcome): 'met' | 'breached' | 'not-meaningful' | null {
  if (metric.limit === null) return null
  const lens = LENSES[metric.name]
  if (lens.violation && outcome.violations.some((v) => v.code === lens.violation)) return 'breached'
  if (!isNumber(metric.after) || metric.after < 0) return 'not-meaningful'
  const holds = lens.kind === 'leverage' ? metric.after <= metric.limit + 1e-9 : metric.after >= metric.limit - 1e-9
  return holds ? 'met' : 'breached'
}

/** The change of a lens in words: "−0.20x better", "unchanged", "" when either end is n/m. */
export function lensChange(metric: CreditMetric): string {
  const { before, after } = metric
  if (!isNumber(before) || !isNumber(after) || before < 0 || after < 0) return ''
  const delta = after - before
  if (Math.abs(delta) < 0.005) return 'unchanged'
  const better = LENSES[metric.name].kind === 'coverage' ? delta > 0 : delta < 0
  return `${delta > 0 ? '+' : '−'}${Math.abs(delta).toFixed(2)}x ${better ? 'better' : 'worse'}`
}

export function creditMetric(analysis: CreditAnalysis | null | undefined, name: CreditMetricName): CreditMetric | null {
  return analysis?.metrics.find((m) => m.name === name) ?? null
}

/** Proceeds after the tax on the gain, $ (what can repay debt). */
export function afterTaxProceeds(analysis: CreditAnalysis | null | undefined): number | null {
  return analysis ? analysis.transaction.gross_proceeds - analysis.transaction.tax : null
}

/** The model behind the SLB's cost, stated wherever the number is shown. */
export const COST_MODEL_NOTE =
  'CCIM differential, after tax: after-tax rent and the property value given up at the end of the lease; depreciation tax shields and exit taxes are not modelled; proceeds after tax repay debt at the cost of debt.'

/** "Cheaper than debt" / "Dearer than debt", from the sign of the NPV at the after-tax cost of debt. */
export function costReading(analysis: CreditAnalysis): { title: string; text: string; tone: string } {
  const t = analysis.transaction
  if (t.gross_proceeds <= 0) return { title: 'Nothing sold.', text: 'There is no SLB capital to price.', tone: 'notice-info' }
  const rate = isNumber(t.slb_cost_of_capital) ? `The SLB costs ${percent(t.slb_cost_of_capital, 2)} a year after tax against ${percent(t.after_tax_cost_of_debt, 2)} for debt` : 'No single rate describes the SLB’s flows'
  if (Math.abs(t.npv_vs_debt) < 0.5) return { title: 'As costly as debt.', text: `${rate}; the two break even in present value.`, tone: 'notice-info' }
  if (t.npv_vs_debt > 0) {
    return { title: 'Cheaper than debt.', text: `${rate}: ${moneyCompact(t.npv_vs_debt)} better than borrowing, in present value.`, tone: 'notice-ok' }
  }
  return { title: 'Dearer than debt.', text: `${rate}: ${moneyCompact(-t.npv_vs_debt)} worse than borrowing, in present value.`, tone: 'notice-warn' }
}
