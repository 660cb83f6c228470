// The analyst workflows (docs/analyses.md): what a frontier point or a grid cell means as a
// run, the default axis values around a run's own, and how metrics read. Pure functions; the
// page (pages/AnalysesPage.tsx) draws and posts.
import type {
  Frontier,
  FrontierMetric,
  FrontierPoint,
  ProgramRequest,
  ResolvedAssumptions,
  SelectorSpec,
  SensitivityCell,
  SensitivityGrid,
  SensitivityParameter,
} from '../api/types'
import { moneyCompact, percent, ratio } from './format'

export const METRICS: { value: FrontierMetric; label: string }[] = [
  { value: 'lease_adjusted_leverage', label: 'Lease-adjusted leverage' },
  { value: 'covenant_leverage', label: 'Covenant leverage' },
  { value: 'reported_leverage', label: 'Reported net leverage' },
  { value: 'new_rent', label: 'New annual rent' },
  { value: 'critical_fraction', label: 'Critical share of NOI sold' },
]

export const PARAMETERS: { value: SensitivityParameter; label: string }[] = [
  { value: 'cap_rate_shift_bps', label: 'Cap-rate shift (bps)' },
  { value: 'target_amount', label: 'Target ($)' },
  { value: 'max_net_leverage', label: 'Max net leverage (x)' },
  { value: 'rent_multiplier', label: 'Rent multiplier (x NOI)' },
  { value: 'cost_of_debt', label: 'Cost of debt' },
]

export function metricLabel(metric: FrontierMetric): string {
  return METRICS.find((m) => m.value === metric)?.label ?? metric
}

export function parameterLabel(parameter: SensitivityParameter): string {
  return PARAMETERS.find((p) => p.value === parameter)?.label ?? parameter
}

/** A metric value as its kind reads: `4.20x`, `$12.3M`, `35.0%`. */
export function formatMetric(metric: FrontierMetric, value: number | null | undefined): string {
  if (metric === 'new_rent') return moneyCompact(value)
  if (metric === 'critical_fraction') return percent(value)
  return ratio(value)
}

/** An axis value as its parameter reads. */
export function formatParameter(parameter: SensitivityParameter, value: number): string {
  switch (parameter) {
    case 'cap_rate_shift_bps':
      return `${value > 0 ? '+' : ''}${value} bps`
    case 'target_amount':
      return moneyCompact(value)
    case 'max_net_leverage':
      return ratio(value)
    case 'rent_multiplier':
      return `${value}x`
    case 'cost_of_debt':
      return percent(value, 2)
  }
}

/** The request an analysis runs: the run's request with the spec that ran confirmed. */
export function analysisBase(request: ProgramRequest, spec: SelectorSpec): ProgramRequest {
  return { ...request, selector_spec: spec }
}

/** The spec's limit field for a metric (new rent has none). */
function limitField(metric: FrontierMetric): keyof SelectorSpec['hard_constraints'] | null {
  switch (metric) {
    case 'reported_leverage':
      return 'max_net_leverage'
    case 'lease_adjusted_leverage':
      return 'max_lease_adjusted_leverage'
    case 'covenant_leverage':
      return 'max_covenant_leverage'
    case 'critical_fraction':
      return 'max_critical_fraction'
    case 'new_rent':
      return null
  }
}

/**
 * A frontier point as a run: only the point's assets eligible, the most proceeds among them
 * (all of them: together they meet every constraint), the point's proceeds as the target, the
 * metric's limit at the point's ceiling, no revision. The run then sells exactly the point.
 */
export function pointRunRequest(base: ProgramRequest, frontier: Frontier, point: FrontierPoint): ProgramRequest {
  const spec = frontier.selector_spec
  const field = limitField(frontier.metric)
  const hard = { ...spec.hard_constraints }
  if (field !== null && field !== 'max_assets_sold') {
    const existing = hard[field]
    hard[field] = existing == null ? point.level : Math.min(existing, point.level)
  }
  return {
    ...base,
    selection_strategy: 'optimal',
    target_amount_override: null,
    // A floor only bounds the revision loop, which does not run; one above the point's proceeds
    // would be refused.
    floor_override: null,
    selector_spec: {
      ...spec,
      objective: 'maximize_proceeds',
      target_amount: point.proceeds,
      max_iterations: 1,
      hard_constraints: hard,
      asset_filters: { ...spec.asset_filters, include_asset_ids: point.asset_ids },
    },
  }
}

/** A grid cell as a run: the request with the cell's two values written in, no revision. */
export function cellRunRequest(base: ProgramRequest, grid: SensitivityGrid, cell: SensitivityCell): ProgramRequest {
  const spec: SelectorSpec = { ...grid.selector_spec, hard_constraints: { ...grid.selector_spec.hard_constraints }, max_iterations: 1 }
  const assumptions = { ...(base.assumptions ?? emptyAssumptions()) }
  let targetOverride = base.target_amount_override
  let leverageOverride = base.max_leverage_override
  grid.axes.forEach((axis, i) => {
    const value = axis.values[i === 0 ? cell.row : cell.col]
    switch (axis.parameter) {
      case 'cap_rate_shift_bps':
        assumptions.cap_rate_shift_bps = value
        break
      case 'rent_multiplier':
        assumptions.rent_multiplier = value
        break
      case 'cost_of_debt':
        assumptions.cost_of_debt = value
        break
      case 'target_amount':
        spec.target_amount = value
        targetOverride = null
        break
      case 'max_net_leverage':
        spec.hard_constraints.max_net_leverage = value
        leverageOverride = null
        break
    }
  })
  return {
    ...base,
    selection_strategy: grid.strategy,
    target_amount_override: targetOverride,
    // A floor only bounds the revision loop, which does not run; one above a cell's target
    // would be refused.
    floor_override: null,
    max_leverage_override: leverageOverride,
    assumptions,
    selector_spec: spec,
  }
}

function emptyAssumptions(): NonNullable<ProgramRequest['assumptions']> {
  return {
    cap_rate_shift_bps: null,
    cap_rate_overrides: null,
    transaction_haircut: null,
    rent_multiplier: null,
    cost_of_debt: null,
    tax_rate: null,
    lease_term_years: null,
    rent_escalator: null,
    lease_discount_rate: null,
    lease_multiple: null,
    residual_growth: null,
  }
}

/** Rounds away float noise (0.1 + 0.2) so that values read as typed. */
function tidy(value: number): number {
  return Number(value.toPrecision(10))
}

/** Five values around the run's own (which is the middle one), within the parameter's range. */
export function defaultAxisValues(parameter: SensitivityParameter, spec: SelectorSpec, used: ResolvedAssumptions | null): number[] {
  switch (parameter) {
    case 'cap_rate_shift_bps': {
      const base = used?.cap_rate_shift_bps ?? 0
      return [-100, -50, 0, 50, 100].map((d) => Math.max(-500, Math.min(500, base + d)))
    }
    case 'target_amount':
      return [0.5, 0.75, 1, 1.25, 1.5].map((f) => tidy(spec.target_amount * f))
    case 'max_net_leverage': {
      const base = spec.hard_constraints.max_net_leverage ?? 4
      return [-1, -0.5, 0, 0.5, 1].map((d) => tidy(base + d)).filter((v) => v > 0 && v < 10)
    }
    case 'rent_multiplier': {
      const base = used?.rent_multiplier ?? 1
      return [-0.2, -0.1, 0, 0.1, 0.2].map((d) => tidy(base + d)).filter((v) => v > 0 && v <= 3)
    }
    case 'cost_of_debt': {
      const base = used?.cost_of_debt ?? 0.06
      return [-0.02, -0.01, 0, 0.01, 0.02].map((d) => tidy(base + d)).filter((v) => v > 0 && v < 0.5)
    }
  }
}

/** `"-50, 0, 50"` → numbers; null when a part is not a number. */
export function parseValues(text: string): number[] | null {
  const parts = text
    .split(/[,\s]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
  const values = parts.map(Number)
  return values.every((v) => Number.isFinite(v)) ? values : null
}

/** A heat-map colour from pale (0) to the accent (1). */
export function heat(t: number): string {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0))
  // From the paper tone (248, 245, 239) to the accent (31, 92, 88).
  const mix = (from: number, to: number) => Math.round(from + (to - from) * clamped)
  return `rgb(${mix(248, 31)}, ${mix(245, 92)}, ${mix(239, 88)})`
}
