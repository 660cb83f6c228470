// The spec preview of the planner: the spec `POST /api/plan` proposed, edited field by field,
// with where each field came from (brief, default, portfolio, or the user's override). Numbers
// are kept as typed and checked against the engine's ranges before "Run this spec".
import type { AssetType, FieldProvenance, Objective, PlanPreview, SelectorSpec, SpecFieldSource } from '../api/types'
import { decimal, moneyCompact, percent, ratio } from './format'
import { SPEC_FIELD_LABELS } from './labels'
import { parseAmount, rangeProblem, type Range } from './portfolio'

/** The numeric fields of a spec, edited as text. */
export type NumericSpecPath =
  | 'target_amount'
  | 'hard_constraints.max_net_leverage'
  | 'hard_constraints.min_interest_coverage'
  | 'hard_constraints.min_fixed_charge_coverage'
  | 'hard_constraints.max_critical_fraction'
  | 'hard_constraints.max_lease_adjusted_leverage'
  | 'hard_constraints.max_covenant_leverage'
  | 'hard_constraints.max_assets_sold'
  | 'asset_filters.min_leaseability_score'
  | 'asset_filters.max_criticality'
  | 'soft_preferences.weight_criticality'
  | 'soft_preferences.weight_leaseability'
  | 'time_horizon_years'
  | 'max_iterations'

export type ListSpecPath =
  | 'asset_filters.include_asset_types'
  | 'asset_filters.exclude_asset_types'
  | 'asset_filters.exclude_markets'
  | 'asset_filters.exclude_asset_ids'
  | 'asset_filters.include_asset_ids'

export type FlagSpecPath = 'soft_preferences.prefer_low_criticality' | 'soft_preferences.prefer_high_leaseability'

export type SpecPath = NumericSpecPath | ListSpecPath | FlagSpecPath | 'objective'

type Unit = 'money' | 'ratio' | 'percent' | 'score' | 'count' | 'years' | 'weight'

export type NumericSpecField = {
  unit: Unit
  /** The engine's range (validate_spec). */
  range: Range
  required: boolean
  integer?: boolean
  hint: string
}

export const NUMERIC_SPEC_FIELDS: Record<NumericSpecPath, NumericSpecField> = {
  target_amount: { unit: 'money', range: { gt: 0 }, required: true, hint: 'Proceeds to raise, such as 250M' },
  'hard_constraints.max_net_leverage': { unit: 'ratio', range: { gt: 0, lt: 10 }, required: false, hint: 'Net debt after ÷ EBITDA; between 0 and 10x' },
  'hard_constraints.min_interest_coverage': { unit: 'ratio', range: { gt: 0, lt: 50 }, required: false, hint: 'EBITDA ÷ interest after; between 0 and 50x' },
  'hard_constraints.min_fixed_charge_coverage': { unit: 'ratio', range: { gt: 0, lt: 20 }, required: false, hint: 'EBITDA ÷ (interest + rent) after; between 0 and 20x' },
  'hard_constraints.max_critical_fraction': { unit: 'percent', range: { gt: 0, max: 1 }, required: false, hint: 'Share of sold NOI from critical assets; above 0% to 100%' },
  'hard_constraints.max_lease_adjusted_leverage': { unit: 'ratio', range: { gt: 0, lt: 20 }, required: false, hint: 'Rating-agency view, rent as debt; between 0 and 20x' },
  'hard_constraints.max_covenant_leverage': { unit: 'ratio', range: { gt: 0, lt: 20 }, required: false, hint: 'Net debt after ÷ (EBITDA − new rent); between 0 and 20x' },
  'hard_constraints.max_assets_sold': { unit: 'count', range: { min: 1 }, required: false, integer: true, hint: 'A whole number, at least 1' },
  'asset_filters.min_leaseability_score': { unit: 'score', range: { min: 0, max: 1 }, required: false, hint: 'Assets scoring below are left out; 0 to 1' },
  'asset_filters.max_criticality': { unit: 'score', range: { min: 0, max: 1 }, required: false, hint: 'Assets more critical are left out; 0 to 1' },
  'soft_preferences.weight_criticality': { unit: 'weight', range: { min: 0 }, required: true, hint: 'Weight in the ranking score; at least 0' },
  'soft_preferences.weight_leaseability': { unit: 'weight', range: { min: 0 }, required: true, hint: 'Weight in the ranking score; at least 0' },
  time_horizon_years: { unit: 'years', range: { gt: 0 }, required: false, hint: 'Informational; the engine does not use it' },
  max_iterations: { unit: 'count', range: { min: 1, max: 10 }, required: true, integer: true, hint: 'Engine runs the revision loop may make; 1 to 10' },
}

export const NUMERIC_SPEC_PATHS = Object.keys(NUMERIC_SPEC_FIELDS) as NumericSpecPath[]

/** How the spec's fields are grouped on the page. */
export const SPEC_GROUPS: { title: string; note: string; paths: SpecPath[] }[] = [
  { title: 'Target and objective', note: 'What to raise, what to optimise, and how many revisions the loop may make.', paths: ['target_amount', 'objective', 'max_iterations', 'time_horizon_years'] },
  {
    title: 'Hard constraints',
    note: 'Limits on the company after the program. Leave a limit empty not to enforce it.',
    paths: [
      'hard_constraints.max_net_leverage',
      'hard_constraints.min_interest_coverage',
      'hard_constraints.min_fixed_charge_coverage',
      'hard_constraints.max_critical_fraction',
      'hard_constraints.max_lease_adjusted_leverage',
      'hard_constraints.max_covenant_leverage',
      'hard_constraints.max_assets_sold',
    ],
  },
  {
    title: 'Filters',
    note: 'Which assets may be sold at all.',
    paths: [
      'asset_filters.include_asset_types',
      'asset_filters.exclude_asset_types',
      'asset_filters.exclude_markets',
      'asset_filters.exclude_asset_ids',
      'asset_filters.include_asset_ids',
      'asset_filters.min_leaseability_score',
      'asset_filters.max_criticality',
    ],
  },
  {
    title: 'Scoring preferences',
    note: 'How the eligible assets are ranked.',
    paths: ['soft_preferences.prefer_low_criticality', 'soft_preferences.prefer_high_leaseability', 'soft_preferences.weight_criticality', 'soft_preferences.weight_leaseability'],
  },
]

/** What each non-numeric field means, shown when its source has no note. */
export const FIELD_HINTS: Partial<Record<SpecPath, string>> = {
  objective: 'What the optimal strategy maximises; the reference greedy walk ignores it',
  'asset_filters.include_asset_types': 'None ticked: every type may be sold',
  'asset_filters.exclude_asset_types': 'Types never to sell',
  'asset_filters.exclude_markets': 'Markets never to sell in',
  'asset_filters.exclude_asset_ids': 'Assets never to sell, chosen from the portfolio',
  'asset_filters.include_asset_ids': 'When set, only these assets may be sold',
  'soft_preferences.prefer_low_criticality': 'Rank less critical sites first',
  'soft_preferences.prefer_high_leaseability': 'Rank easily re-let sites first',
}

/** The spec being reviewed: the preview as planned, the fields as edited, and which were edited. */
export type SpecDraft = {
  preview: PlanPreview
  /** Fingerprint of the planner inputs the preview was planned from (see `previewBasis`). */
  basis: string
  /** The spec with the edits to its non-numeric fields (its numbers are read from `text`). */
  spec: SelectorSpec
  text: Record<NumericSpecPath, string>
  /** Fields whose value now differs from the preview's. */
  edited: SpecPath[]
}

export function specLabel(path: SpecPath): string {
  return SPEC_FIELD_LABELS[path] ?? path
}

/** A spec field's value by its path. */
function valueAt(spec: SelectorSpec, path: SpecPath): unknown {
  const [head, leaf] = path.split('.')
  const parent = spec[head as keyof SelectorSpec]
  if (leaf === undefined) return parent
  return (parent as unknown as Record<string, unknown>)[leaf] ?? null
}

function withValue(spec: SelectorSpec, path: SpecPath, value: unknown): SelectorSpec {
  const [head, leaf] = path.split('.')
  if (leaf === undefined) return { ...spec, [head]: value }
  const parent = spec[head as keyof SelectorSpec] as unknown as Record<string, unknown>
  return { ...spec, [head]: { ...parent, [leaf]: value } }
}

/** A number as one would type it in its field: 250,000,000 · 3.5 · 25% · 0.7 · 3. */
export function typedValue(unit: Unit, value: number | null): string {
  if (value === null) return ''
  if (unit === 'money') return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value)
  if (unit === 'percent') return `${Number((value * 100).toFixed(6))}%`
  return String(Number(value.toFixed(6)))
}

/** A number as the page shows it: $250.0M · 3.50x · 25.0% · 0.70 · 3. */
export function shownValue(unit: Unit, value: number): string {
  switch (unit) {
    case 'money':
      return moneyCompact(value)
    case 'ratio':
      return ratio(value)
    case 'percent':
      return percent(value)
    case 'score':
    case 'weight':
      return decimal(value)
    case 'years':
      return `${value} year${value === 1 ? '' : 's'}`
    case 'count':
      return String(value)
  }
}

/** A draft of a fresh preview: nothing edited yet. */
export function draftFromPreview(preview: PlanPreview, basis: string): SpecDraft {
  const text = Object.fromEntries(
    NUMERIC_SPEC_PATHS.map((path) => [path, typedValue(NUMERIC_SPEC_FIELDS[path].unit, valueAt(preview.selector_spec, path) as number | null)]),
  ) as Record<NumericSpecPath, string>
  return { preview, basis, spec: preview.selector_spec, text, edited: [] }
}

/** A numeric field as read from its text: its value (null when empty) and its problem. */
function readNumeric(path: NumericSpecPath, input: string): { value: number | null; problem: string | null } {
  const field = NUMERIC_SPEC_FIELDS[path]
  if (input.trim() === '') return { value: null, problem: field.required ? 'is required' : null }
  const value = parseAmount(input)
  if (value === null) return { value: null, problem: `must be a number, such as ${field.unit === 'money' ? '250M' : field.unit === 'percent' ? '25%' : '3.5'}` }
  if (field.integer && !Number.isInteger(value)) return { value, problem: 'must be a whole number' }
  const problem = rangeProblem(value, field.range)
  return { value, problem: problem && field.unit === 'percent' ? 'must be above 0% and at most 100%, such as 25%' : problem }
}

function sameValue(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0)
  if (empty(a) && empty(b)) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a))
  return a === b
}

function markEdited(draft: SpecDraft, path: SpecPath, current: unknown): SpecPath[] {
  const others = draft.edited.filter((p) => p !== path)
  return sameValue(current, valueAt(draft.preview.selector_spec, path)) ? others : [...others, path]
}

/** The draft with a numeric field retyped; it counts as edited while its value differs from the preview's. */
export function editNumber(draft: SpecDraft, path: NumericSpecPath, input: string): SpecDraft {
  // An unreadable entry differs from any number: it counts as edited until fixed.
  const current = input.trim() === '' ? null : (parseAmount(input) ?? input)
  return { ...draft, text: { ...draft.text, [path]: input }, edited: markEdited(draft, path, current) }
}

/** The draft with a non-numeric field set (null or [] clears a filter). */
export function editValue(draft: SpecDraft, path: Exclude<SpecPath, NumericSpecPath>, value: Objective | boolean | string[] | AssetType[] | null): SpecDraft {
  const stored = Array.isArray(value) && value.length === 0 ? null : value
  return { ...draft, spec: withValue(draft.spec, path, stored), edited: markEdited(draft, path, stored) }
}

/** The current (edited) value of a non-numeric field. */
export function draftValue<T>(draft: SpecDraft, path: Exclude<SpecPath, NumericSpecPath>): T {
  return valueAt(draft.spec, path) as T
}

/** What the preview planned for a numeric field, as the page shows it ("3.75x", "not set"). */
export function plannedValue(draft: SpecDraft, path: NumericSpecPath): string {
  const value = valueAt(draft.preview.selector_spec, path) as number | null
  return value === null ? 'not set' : shownValue(NUMERIC_SPEC_FIELDS[path].unit, value)
}

/** Where a field's current value comes from: edited → override; else the preview's provenance; null when unset. */
export function fieldSource(draft: SpecDraft, path: SpecPath): FieldProvenance | null {
  if (draft.edited.includes(path)) return { field: path, source: 'user_override', note: 'Edited here' }
  return draft.preview.provenance.find((p) => p.field === path) ?? null
}

/** Every problem of the draft, by field. */
export function specErrors(draft: SpecDraft): Partial<Record<SpecPath, string>> {
  const errors: Partial<Record<SpecPath, string>> = {}
  for (const path of NUMERIC_SPEC_PATHS) {
    const problem = readNumeric(path, draft.text[path]).problem
    if (problem) errors[path] = problem
  }
  const include = draft.spec.asset_filters.include_asset_types ?? []
  const exclude = draft.spec.asset_filters.exclude_asset_types ?? []
  if (include.length > 0 && include.every((t) => exclude.includes(t))) {
    errors['asset_filters.exclude_asset_types'] = 'leaves none of the included asset types'
  }
  return errors
}

/** The spec to send as `selector_spec`; call only when specErrors is empty. */
export function draftSpec(draft: SpecDraft): SelectorSpec {
  let spec = draft.spec
  for (const path of NUMERIC_SPEC_PATHS) spec = withValue(spec, path, readNumeric(path, draft.text[path]).value)
  return spec
}

/** How many fields come from each source, for the summary line. */
export function sourceCounts(draft: SpecDraft): Record<SpecFieldSource, number> {
  const counts: Record<SpecFieldSource, number> = { brief: 0, default: 0, user_override: 0, portfolio: 0 }
  const paths = new Set<string>([...draft.preview.provenance.map((p) => p.field), ...draft.edited])
  for (const path of paths) {
    const source = fieldSource(draft, path as SpecPath)
    if (source && path !== 'program_type') counts[source.source] += 1
  }
  return counts
}

/** What a provenance note says, in words (the server's notes name request fields). */
export function provenanceNote(entry: FieldProvenance): string | null {
  const notes: Record<string, string> = {
    target_amount_override: 'Set by your target override',
    max_leverage_override: 'Set by your maximum net leverage override',
    min_coverage_override: 'Set by your minimum fixed-charge coverage override',
    'confirmed spec': 'From the spec you confirmed',
  }
  const note = entry.note?.trim() ?? ''
  if (note === '') return null
  if (note in notes) return notes[note]
  // A quote of the brief: "under 3.5x" → Read from “under 3.5x”.
  const quote = /^"(.*)"$/.exec(note)
  if (quote) return `Read from “${quote[1]}”`
  return note.charAt(0).toUpperCase() + note.slice(1)
}
