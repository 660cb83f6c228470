// The planner form: its state, its checks (the API's ranges) and the request it builds.
import type { Asset, CorporateState, FieldProvenance, ProgramRequest, ScenarioSetRequest, SelectionStrategy } from '../api/types'
import { assumptionErrorName, assumptionErrors, assumptionsForm, assumptionsRequest, emptyAssumptions, type AssumptionErrorKey, type AssumptionsForm } from './assumptions'
import { DEMO_PORTFOLIO } from './demo'
import { moneyCompact, ratio } from './format'
import { parseAmount, rangeProblem, type Problem, type Range } from './portfolio'
import { draftFromPreview, draftSpec, type SpecDraft } from './spec'

export type PortfolioSource =
  | { kind: 'demo' }
  | { kind: 'file'; fileName: string }
  | { kind: 'invalid'; fileName: string; problems: Problem[] }
  /** The portfolio of a stored run, opened in the planner. */
  | { kind: 'run'; runId: string }
  /** A portfolio too large to keep across a reload: it must be uploaded again. */
  | { kind: 'missing'; name: string; count: number }

export type CorporateField = keyof CorporateState
export type OverrideField = 'target_amount_override' | 'floor_override' | 'max_leverage_override' | 'min_coverage_override'

export type PlannerForm = {
  brief: string
  source: PortfolioSource
  assets: Asset[]
  corporate: Record<CorporateField, string>
  overrides: Record<OverrideField, string>
  fundId: string
  strategy: SelectionStrategy
  scenarioCount: number
  /** Market, transaction and credit assumptions; empty fields keep the server's defaults. */
  assumptions: AssumptionsForm
  /** The previewed spec under review, or null before "Preview spec". */
  spec: SpecDraft | null
}

export const MAX_SCENARIOS = 5

/** Each numeric input: its label, hint, range (the API's), whether it is required, and how to show it. */
export const NUMBER_FIELDS: Record<CorporateField | OverrideField, { label: string; hint: string; range: Range; required: boolean; show: (v: number) => string }> = {
  net_debt: { label: 'Net debt ($)', hint: 'Debt minus cash, ≥ 0', range: { min: 0 }, required: true, show: moneyCompact },
  ebitda: { label: 'EBITDA ($)', hint: 'Trailing twelve months; may be negative', range: {}, required: true, show: moneyCompact },
  interest_expense: { label: 'Interest expense ($)', hint: 'Annual, ≥ 0', range: { min: 0 }, required: true, show: moneyCompact },
  lease_expense: { label: 'Lease expense ($)', hint: 'Annual, before the program; optional', range: { min: 0 }, required: false, show: moneyCompact },
  target_amount_override: { label: 'Target ($)', hint: 'Replaces the target read from the brief; > 0', range: { gt: 0 }, required: false, show: moneyCompact },
  floor_override: { label: 'Floor ($)', hint: 'Lowest acceptable target; > 0', range: { gt: 0 }, required: false, show: moneyCompact },
  max_leverage_override: { label: 'Maximum net leverage (x)', hint: 'Between 0 and 10', range: { gt: 0, lt: 10 }, required: false, show: ratio },
  min_coverage_override: { label: 'Minimum fixed-charge coverage (x)', hint: 'Between 0 and 20', range: { gt: 0, lt: 20 }, required: false, show: ratio },
}

/** Example briefs, each with a short name for its button. */
export const EXAMPLE_BRIEFS: { name: string; brief: string }[] = [
  { name: '$250M within covenants', brief: 'Raise $250M through a sale-leaseback, keeping net leverage below 3.75x and fixed charge coverage above 2.5x.' },
  { name: 'Stores and DCs, no critical sites', brief: 'Raise $150M via SLB from stores and distribution centers, avoid critical assets.' },
  { name: 'Deleverage, nothing in Texas', brief: 'Conservative deleveraging, target ~$100 million, leverage below 3.5x, nothing in Texas.' },
  { name: 'Maximize store proceeds', brief: 'Maximize proceeds from the store portfolio.' },
]

export function initialForm(): PlannerForm {
  return {
    brief: EXAMPLE_BRIEFS[0].brief,
    source: { kind: 'demo' },
    assets: DEMO_PORTFOLIO.assets,
    corporate: corporateFields(DEMO_PORTFOLIO.corporateState),
    overrides: { target_amount_override: '', floor_override: '', max_leverage_override: '', min_coverage_override: '' },
    fundId: '',
    strategy: 'optimal',
    scenarioCount: 3,
    assumptions: emptyAssumptions(),
    spec: null,
  }
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 })

/** The inputs for a corporate state, with thousands separators for readability. */
export function corporateFields(state: CorporateState): Record<CorporateField, string> {
  const text = (v: number | null) => (v === null ? '' : GROUPED.format(v))
  return {
    net_debt: text(state.net_debt),
    ebitda: text(state.ebitda),
    interest_expense: text(state.interest_expense),
    lease_expense: text(state.lease_expense),
  }
}

/** A field label without its trailing parenthetical, for sentences: "Net debt ($)" → "Net debt". */
export function shortLabel(label: string): string {
  return label.replace(/ \(.*\)$/, '')
}

/** A field's problem, or null; parses "250M"-style input. */
function numberFieldProblem(field: CorporateField | OverrideField, input: string): string | null {
  const spec = NUMBER_FIELDS[field]
  if (input.trim() === '') return spec.required ? 'is required' : null
  const value = parseAmount(input)
  if (value === null) return 'must be a number, such as 250000000 or 250M'
  return rangeProblem(value, spec.range)
}

function numberOrNull(input: string): number | null {
  return input.trim() === '' ? null : parseAmount(input)
}

export type FormErrorKey = CorporateField | OverrideField | AssumptionErrorKey | 'brief' | 'portfolio'
export type FormErrors = Partial<Record<FormErrorKey, string>>

/** Every problem of the form, by field. */
export function formErrors(form: PlannerForm): FormErrors {
  const errors: FormErrors = {}
  if (form.brief.trim() === '') errors.brief = 'is required: describe what to raise and under which limits'
  if (form.source.kind === 'invalid') errors.portfolio = 'cannot be used: fix the file or switch back to the demo portfolio'
  if (form.source.kind === 'missing') errors.portfolio = 'was too large to keep across the reload: upload it again or switch to the demo portfolio'
  for (const field of Object.keys(NUMBER_FIELDS) as (CorporateField | OverrideField)[]) {
    const input = field in form.corporate ? form.corporate[field as CorporateField] : form.overrides[field as OverrideField]
    const problem = numberFieldProblem(field, input)
    if (problem) errors[field] = problem
  }
  const target = numberOrNull(form.overrides.target_amount_override)
  const floor = numberOrNull(form.overrides.floor_override)
  if (!errors.floor_override && target !== null && floor !== null && floor > target) {
    errors.floor_override = `must not exceed the target (${moneyCompact(target)})`
  }
  return { ...errors, ...assumptionErrors(form.assumptions) }
}

/** The name of the field of an error, to start its sentence: "Tax rate must be …". */
export function errorFieldName(field: FormErrorKey): string {
  if (field === 'brief') return 'The brief'
  if (field === 'portfolio') return 'The portfolio'
  if (field in NUMBER_FIELDS) return shortLabel(NUMBER_FIELDS[field as CorporateField | OverrideField].label)
  return assumptionErrorName(field as AssumptionErrorKey)
}

/** The request of "Run program"; call only when formErrors is empty. */
export function programRequest(form: PlannerForm): ProgramRequest {
  return {
    assets: form.assets,
    corporate_state: {
      net_debt: parseAmount(form.corporate.net_debt) ?? 0,
      ebitda: parseAmount(form.corporate.ebitda) ?? 0,
      interest_expense: parseAmount(form.corporate.interest_expense) ?? 0,
      lease_expense: numberOrNull(form.corporate.lease_expense),
    },
    program_type: 'slb',
    program_description: form.brief.trim(),
    floor_override: numberOrNull(form.overrides.floor_override),
    max_leverage_override: numberOrNull(form.overrides.max_leverage_override),
    min_coverage_override: numberOrNull(form.overrides.min_coverage_override),
    target_amount_override: numberOrNull(form.overrides.target_amount_override),
    selection_strategy: form.strategy,
    assumptions: assumptionsRequest(form.assumptions),
    selector_spec: null,
  }
}

/**
 * The request of "Run this spec": the form's request carrying the edited spec. The target and
 * the limits the overrides set are already in the spec (the preview applied them), so they are
 * not sent again: an edit of those fields would otherwise be overwritten. The floor stays.
 */
export function specRequest(form: PlannerForm, draft: SpecDraft): ProgramRequest {
  return {
    ...programRequest(form),
    target_amount_override: null,
    max_leverage_override: null,
    min_coverage_override: null,
    selector_spec: draftSpec(draft),
  }
}

/**
 * What a preview was planned from (the brief, the portfolio, the company, the overrides), to
 * tell when it is out of date. The portfolio counts by its size, ids and NOI, not in full.
 */
export function previewBasis(form: PlannerForm): string {
  const assets = form.assets
  return JSON.stringify([
    form.brief.trim(),
    form.corporate,
    form.overrides,
    assets.length,
    assets[0]?.asset_id ?? null,
    assets.at(-1)?.asset_id ?? null,
    assets.reduce((sum, a) => sum + a.noi, 0),
  ])
}

/** The planner form of a stored request: "Open in planner" on a run. */
export function formFromRequest(
  request: ProgramRequest,
  origin: { runId: string; fundId: string | null; provenance: FieldProvenance[] | null; warnings: string[] | null },
  current: PlannerForm,
): PlannerForm {
  const text = (v: number | null) => (v === null ? '' : GROUPED.format(v))
  const form: PlannerForm = {
    brief: request.program_description,
    source: { kind: 'run', runId: origin.runId },
    assets: request.assets,
    corporate: corporateFields(request.corporate_state),
    overrides: {
      target_amount_override: text(request.target_amount_override),
      floor_override: text(request.floor_override),
      max_leverage_override: request.max_leverage_override === null ? '' : String(request.max_leverage_override),
      min_coverage_override: request.min_coverage_override === null ? '' : String(request.min_coverage_override),
    },
    fundId: origin.fundId ?? '',
    strategy: request.selection_strategy ?? 'greedy',
    scenarioCount: current.scenarioCount,
    assumptions: assumptionsForm(request.assumptions),
    spec: null,
  }
  if (request.selector_spec !== null) {
    const preview = { selector_spec: request.selector_spec, provenance: origin.provenance ?? [], warnings: origin.warnings ?? [] }
    form.spec = draftFromPreview(preview, previewBasis(form))
  }
  return form
}

/** The request of "Run scenario analysis": the same program as the base of every scenario. */
export function scenarioSetRequest(form: PlannerForm): ScenarioSetRequest {
  return {
    brief: form.brief.trim(),
    base_request: programRequest(form),
    num_scenarios: form.scenarioCount,
    fund_id: fundId(form),
  }
}

export function fundId(form: PlannerForm): string | null {
  return form.fundId.trim() === '' ? null : form.fundId.trim()
}
