// The run's assumptions (docs/credit.md §1.1) in the planner form: each field's label, unit,
// default and range (the API's, checked the same way), the request object they build, and how
// to show a resolved value on the run report.
import type { AssetType, Assumptions, CapRateOverride, MarketTier, ResolvedAssumptions } from '../api/types'
import { ASSET_TYPE_LABELS } from './labels'
import { parseAmount } from './portfolio'

/** Every assumption but the cap-rate overrides (a list, edited as a table). */
export type AssumptionField = Exclude<keyof Assumptions, 'cap_rate_overrides'>

type Unit = 'percent' | 'bps' | 'multiple' | 'years'

/** One end of a range: its value and whether the value itself is allowed. */
type Bound = { value: number; inclusive: boolean }

export type AssumptionSpec = {
  label: string
  /** What the field means, shown under the input. */
  hint: string
  unit: Unit
  min: Bound
  max: Bound
  /** The server's default; null when it depends on another field (the lease discount rate). */
  fallback: number | null
  /** Market assumptions price the assets for the whole run; the others feed the credit view only. */
  group: 'market' | 'credit'
}

const incl = (value: number): Bound => ({ value, inclusive: true })
const excl = (value: number): Bound => ({ value, inclusive: false })

/** The API's ranges and the engine configuration's defaults. */
export const ASSUMPTION_FIELDS: Record<AssumptionField, AssumptionSpec> = {
  cap_rate_shift_bps: { label: 'Cap-rate shift (bps)', hint: 'Added to every cap rate, after the overrides', unit: 'bps', min: incl(-500), max: incl(500), fallback: 0, group: 'market' },
  transaction_haircut: { label: 'Transaction haircut', hint: 'Share of market value lost to transaction costs', unit: 'percent', min: incl(0), max: excl(0.5), fallback: 0.025, group: 'market' },
  rent_multiplier: { label: 'Rent multiplier (× NOI)', hint: 'New annual rent as a multiple of NOI', unit: 'multiple', min: excl(0), max: incl(3), fallback: 1, group: 'market' },
  cost_of_debt: { label: 'Cost of debt', hint: 'Pre-tax rate saved on the debt repaid', unit: 'percent', min: excl(0), max: excl(0.5), fallback: 0.06, group: 'market' },
  tax_rate: { label: 'Tax rate', hint: 'On the net gain over tax basis', unit: 'percent', min: incl(0), max: incl(0.6), fallback: 0.25, group: 'credit' },
  lease_term_years: { label: 'Lease term (years)', hint: 'Base term of the new leases, whole years', unit: 'years', min: incl(1), max: incl(50), fallback: 15, group: 'credit' },
  rent_escalator: { label: 'Rent escalator', hint: 'Annual rent growth', unit: 'percent', min: incl(-0.05), max: incl(0.15), fallback: 0.02, group: 'credit' },
  lease_discount_rate: { label: 'Lease discount rate', hint: 'Discounts the lease payments to a liability', unit: 'percent', min: excl(0), max: excl(0.5), fallback: null, group: 'credit' },
  lease_multiple: { label: 'Lease multiple (× rent)', hint: 'Rating-agency debt per $1 of rent', unit: 'multiple', min: incl(0), max: incl(20), fallback: 8, group: 'credit' },
  residual_growth: { label: 'Residual growth', hint: "Annual growth of the sold properties' value (given up at lease end)", unit: 'percent', min: incl(-0.1), max: incl(0.15), fallback: 0.02, group: 'credit' },
}

export const ASSUMPTION_FIELD_NAMES = Object.keys(ASSUMPTION_FIELDS) as AssumptionField[]

/** The cap-rate range of an override, (0, 50%). */
const CAP_RATE: Pick<AssumptionSpec, 'unit' | 'min' | 'max'> = { unit: 'percent', min: excl(0), max: excl(0.5) }

/** One row of the cap-rate override table; `key` keeps React rows stable across removals. */
export type CapRateOverrideRow = { key: number; asset_type: AssetType; market_tier: MarketTier; cap_rate: string }

export type AssumptionsForm = { fields: Record<AssumptionField, string>; capRateOverrides: CapRateOverrideRow[] }

export function emptyAssumptions(): AssumptionsForm {
  return {
    fields: Object.fromEntries(ASSUMPTION_FIELD_NAMES.map((f) => [f, ''])) as Record<AssumptionField, string>,
    capRateOverrides: [],
  }
}

/** How many assumptions the form sets (each override row counts once). */
export function assumptionsSet(form: AssumptionsForm): number {
  return ASSUMPTION_FIELD_NAMES.filter((f) => form.fields[f].trim() !== '').length + form.capRateOverrides.length
}

/** A value in the field's unit: 2.5%, +25 bps, 1.00x, 15 years. */
export function showAssumption(unit: Unit, value: number): string {
  switch (unit) {
    case 'percent':
      return `${value < 0 ? '−' : ''}${trimZeros(Math.abs(value * 100).toFixed(2))}%`
    case 'bps':
      return `${value > 0 ? '+' : value < 0 ? '−' : ''}${trimZeros(Math.abs(value).toFixed(1))} bps`
    case 'multiple':
      return `${value.toFixed(2)}x`
    case 'years':
      return `${value} year${value === 1 ? '' : 's'}`
  }
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed
}

/** The placeholder of a field: its default as one would type it (the lease discount rate's is the cost of debt). */
export function assumptionPlaceholder(field: AssumptionField, form: AssumptionsForm): string {
  const spec = ASSUMPTION_FIELDS[field]
  if (field === 'lease_discount_rate') {
    const cost = readField('cost_of_debt', form.fields.cost_of_debt)
    return `${showAssumption('percent', cost !== null && cost.problem === null ? cost.value : ASSUMPTION_FIELDS.cost_of_debt.fallback!)} = cost of debt`
  }
  return spec.fallback === null ? '' : typed(spec.unit, spec.fallback)
}

/** A value as one would type it into the field: 2.5%, 0, 1.0x, 15. */
function typed(unit: Unit, value: number): string {
  if (unit === 'percent') return showAssumption('percent', value)
  if (unit === 'multiple') return `${value.toFixed(1)}x`
  return String(value)
}

/** The hint under a field: what it means, its default and its range. */
export function assumptionHint(field: AssumptionField): string {
  const spec = ASSUMPTION_FIELDS[field]
  const fallback = spec.fallback === null ? 'default: the cost of debt' : `default ${showAssumption(spec.unit, spec.fallback)}`
  return `${spec.hint} · ${fallback} · ${rangeText(spec)}`
}

/** "0% to 60%", "above 0 to 3x", "0% to under 50%". */
function rangeText({ unit, min, max }: Pick<AssumptionSpec, 'unit' | 'min' | 'max'>): string {
  return `${min.inclusive ? '' : 'above '}${bound(unit, min.value)} to ${max.inclusive ? '' : 'under '}${bound(unit, max.value)}`
}

/** A bound in a sentence: 50%, −500 bps, 3x, 50 (years). */
function bound(unit: Unit, value: number): string {
  if (unit === 'years') return String(value)
  if (unit === 'multiple') return `${trimZeros(value.toFixed(2))}x`
  return showAssumption(unit, value).replace(/^\+/, '')
}

/** Why a value breaks a range, naming the range the API enforces, or null. */
function rangeProblem(value: number, spec: Pick<AssumptionSpec, 'unit' | 'min' | 'max'>): string | null {
  const { unit, min, max } = spec
  const aboveMin = min.inclusive ? value >= min.value : value > min.value
  const belowMax = max.inclusive ? value <= max.value : value < max.value
  if (aboveMin && belowMax) return null
  const lo = bound(unit, min.value)
  const hi = bound(unit, max.value)
  if (min.inclusive && max.inclusive) return `must be between ${lo} and ${hi}`
  if (!min.inclusive && !max.inclusive) return `must be between ${lo} and ${hi} (exclusive)`
  if (min.inclusive) return `must be at least ${lo} and below ${hi}`
  return `must be above ${lo} and at most ${hi}`
}

const EXAMPLES: Record<Unit, string> = { percent: 'such as 25% or 0.25', bps: 'of basis points, such as 50 or -25', multiple: 'such as 8x', years: 'of years, such as 15' }

/** The value of a filled field and its problem, or null for an empty field. */
function readField(field: AssumptionField, input: string): { value: number; problem: string | null } | null {
  if (input.trim() === '') return null
  const spec = ASSUMPTION_FIELDS[field]
  const value = parseAmount(input)
  if (value === null || !Number.isFinite(value)) return { value: Number.NaN, problem: `must be a number ${EXAMPLES[spec.unit]}` }
  if (spec.unit === 'years' && !Number.isInteger(value)) return { value, problem: 'must be a whole number of years, 1 to 50' }
  return { value, problem: rangeProblem(value, spec) }
}

export type AssumptionErrorKey = AssumptionField | `cap_rate_overrides.${number}.cap_rate` | `cap_rate_overrides.${number}.cell`

/** Every problem of the assumptions, by field; override rows by `cap_rate_overrides.{i}.cap_rate` / `.cell`. */
export function assumptionErrors(form: AssumptionsForm): Partial<Record<AssumptionErrorKey, string>> {
  const errors: Partial<Record<AssumptionErrorKey, string>> = {}
  for (const field of ASSUMPTION_FIELD_NAMES) {
    const problem = readField(field, form.fields[field])?.problem
    if (problem) errors[field] = problem
  }
  form.capRateOverrides.forEach((row, i) => {
    if (row.cap_rate.trim() === '') errors[`cap_rate_overrides.${i}.cap_rate`] = 'is required'
    else {
      const value = parseAmount(row.cap_rate)
      const problem = value === null ? `must be a number ${EXAMPLES.percent}` : rangeProblem(value, CAP_RATE)
      if (problem) errors[`cap_rate_overrides.${i}.cap_rate`] = problem
    }
    const first = form.capRateOverrides.findIndex((r) => r.asset_type === row.asset_type && r.market_tier === row.market_tier)
    if (first < i) errors[`cap_rate_overrides.${i}.cell`] = `repeats override ${first + 1} (${cellLabel(row)})`
  })
  return errors
}

/** The name of an assumption error's field, for "… must be …" sentences. */
export function assumptionErrorName(key: AssumptionErrorKey): string {
  const row = /^cap_rate_overrides\.(\d+)\.(cap_rate|cell)$/.exec(key)
  if (row) return row[2] === 'cap_rate' ? `Cap rate of override ${Number(row[1]) + 1}` : `Cap-rate override ${Number(row[1]) + 1}`
  return ASSUMPTION_FIELDS[key as AssumptionField].label.replace(/ \(.*\)$/, '')
}

export function cellLabel(cell: Pick<CapRateOverride, 'asset_type' | 'market_tier'>): string {
  return `${ASSET_TYPE_LABELS[cell.asset_type]}, tier ${cell.market_tier}`
}

/** The request's `assumptions`: null when nothing is set, else every field (null = server default). */
export function assumptionsRequest(form: AssumptionsForm): Assumptions | null {
  if (assumptionsSet(form) === 0) return null
  const value = (field: AssumptionField) => readField(field, form.fields[field])?.value ?? null
  return {
    cap_rate_shift_bps: value('cap_rate_shift_bps'),
    cap_rate_overrides:
      form.capRateOverrides.length === 0
        ? null
        : form.capRateOverrides.map((row) => ({ asset_type: row.asset_type, market_tier: row.market_tier, cap_rate: parseAmount(row.cap_rate) ?? Number.NaN })),
    transaction_haircut: value('transaction_haircut'),
    rent_multiplier: value('rent_multiplier'),
    cost_of_debt: value('cost_of_debt'),
    tax_rate: value('tax_rate'),
    lease_term_years: value('lease_term_years'),
    rent_escalator: value('rent_escalator'),
    lease_discount_rate: value('lease_discount_rate'),
    lease_multiple: value('lease_multiple'),
    residual_growth: value('residual_growth'),
  }
}

/** Each resolved assumption of a run as a label and a value, with the default when it differs from it. */
export function resolvedAssumptionRows(resolved: ResolvedAssumptions): { key: string; label: string; value: string; fallback: string | null }[] {
  return ASSUMPTION_FIELD_NAMES.flatMap((field) => {
    const spec = ASSUMPTION_FIELDS[field]
    const fallback = field === 'lease_discount_rate' ? resolved.cost_of_debt : spec.fallback!
    const row = {
      key: field,
      label: spec.label,
      value: showAssumption(spec.unit, resolved[field]),
      fallback: Math.abs(resolved[field] - fallback) > 1e-12 ? showAssumption(spec.unit, fallback) : null,
    }
    if (field !== 'cap_rate_shift_bps') return [row]
    const overrides = resolved.cap_rate_overrides
    return [
      {
        key: 'cap_rate_overrides',
        label: 'Cap-rate overrides',
        value: overrides.length === 0 ? 'none' : overrides.map((o) => `${cellLabel(o)}: ${showAssumption('percent', o.cap_rate)}`).join('; '),
        fallback: null,
      },
      row,
    ]
  })
}

/** The form of a request's assumptions (to open a stored run in the planner). */
export function assumptionsForm(assumptions: Assumptions | null): AssumptionsForm {
  const form = emptyAssumptions()
  if (assumptions === null) return form
  for (const field of ASSUMPTION_FIELD_NAMES) {
    const value = assumptions[field]
    if (value !== null && value !== undefined) form.fields[field] = asTyped(ASSUMPTION_FIELDS[field].unit, value)
  }
  form.capRateOverrides = (assumptions.cap_rate_overrides ?? []).map((o, i) => ({
    key: i + 1,
    asset_type: o.asset_type,
    market_tier: o.market_tier,
    cap_rate: asTyped('percent', o.cap_rate),
  }))
  return form
}

/** A value as typed into its field, read back to the same number: 21%, −25, 1.5x, 20. */
function asTyped(unit: Unit, value: number): string {
  if (unit === 'percent') return `${Number((value * 100).toFixed(8))}%`
  if (unit === 'multiple') return `${value}x`
  return String(value)
}

/** The assumptions a request sets, as "label value" phrases (empty when it keeps the defaults). */
export function requestedAssumptions(assumptions: Assumptions | null): { label: string; value: string }[] {
  if (assumptions === null) return []
  const rows = ASSUMPTION_FIELD_NAMES.flatMap((field) => {
    const value = assumptions[field]
    return value === null || value === undefined ? [] : [{ label: ASSUMPTION_FIELDS[field].label, value: showAssumption(ASSUMPTION_FIELDS[field].unit, value) }]
  })
  for (const o of assumptions.cap_rate_overrides ?? []) rows.push({ label: `Cap rate, ${cellLabel(o)}`, value: showAssumption('percent', o.cap_rate) })
  return rows
}
