// Readable names for the wire enums and fields.
import type {
  AssetType,
  ExplanationNode,
  NodeCategory,
  Objective,
  PolicyViolationCode,
  ScenarioKind,
  SelectionStatus,
  SelectionStrategy,
  Severity,
  SpecFieldSource,
} from '../api/types'
import { humanize } from './format'

export const ASSET_TYPE_LABELS: Record<AssetType, string> = {
  store: 'Store',
  distribution_center: 'Distribution center',
  office: 'Office',
  mixed_use: 'Mixed use',
  other: 'Other',
}

/** Plural, lower case, for sentences: "stores and distribution centers". */
export const ASSET_TYPE_PLURALS: Record<AssetType, string> = {
  store: 'stores',
  distribution_center: 'distribution centers',
  office: 'offices',
  mixed_use: 'mixed-use properties',
  other: 'other properties',
}

/** "31 stores, 9 distribution centers and 1 office", most numerous first. */
export function assetMix(types: AssetType[]): string {
  const counts = new Map<AssetType, number>()
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1)
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${n} ${n === 1 ? ASSET_TYPE_LABELS[t].toLowerCase().replace('mixed use', 'mixed-use property').replace(/^other$/, 'other property') : ASSET_TYPE_PLURALS[t]}`)
  if (parts.length <= 1) return parts.join('')
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
}

export const OBJECTIVE_LABELS: Record<Objective, string> = {
  maximize_proceeds: 'Maximize proceeds',
  minimize_risk: 'Minimize risk',
  balanced: 'Balanced',
}

/** The strategies as the planner offers them: optimal by default, greedy as the reference. */
export const STRATEGY_LABELS: Record<SelectionStrategy, string> = {
  optimal: 'Optimal',
  greedy: 'Reference greedy',
}

/** The strategy of a stored request; the API runs greedy when the request names none. */
export function strategyLabel(strategy: SelectionStrategy | null | undefined): string {
  return STRATEGY_LABELS[strategy ?? 'greedy']
}

/** Where a field of a planned spec came from, as its badge says. */
export const SOURCE_LABELS: Record<SpecFieldSource, string> = {
  brief: 'Brief',
  default: 'Default',
  user_override: 'Override',
  portfolio: 'Portfolio',
}

export const POLICY_CODE_LABELS: Record<PolicyViolationCode, string> = {
  target_increased: 'Target raised',
  target_drop_exceeded: 'Target cut too far',
  target_below_floor: 'Target below floor',
  leverage_relaxed: 'Net leverage limit relaxed',
  interest_coverage_relaxed: 'Interest coverage limit relaxed',
  fixed_charge_coverage_relaxed: 'Fixed-charge coverage limit relaxed',
  critical_fraction_relaxed: 'Critical share limit relaxed',
  lease_adjusted_leverage_relaxed: 'Lease-adjusted leverage limit relaxed',
  covenant_leverage_relaxed: 'Covenant leverage limit relaxed',
  assets_sold_relaxed: 'Assets-sold limit relaxed',
  constraint_deleted: 'Limit removed',
  criticality_step_exceeded: 'Criticality filter loosened too far',
  leaseability_step_exceeded: 'Leaseability filter loosened too far',
  filter_deleted: 'Filter removed',
  program_type_changed: 'Program type changed',
}

/** One name per metric, the same on every page. */
export const METRIC_LABELS = {
  net_leverage: 'Net leverage',
  interest_coverage: 'Interest coverage',
  fixed_charge_coverage: 'Fixed-charge coverage',
  critical_fraction: 'Critical share of sold NOI',
  lease_adjusted_leverage: 'Lease-adjusted leverage',
  covenant_leverage: 'Covenant leverage',
} as const

/** Each field of a spec by its dotted path, as a person would name it. */
export const SPEC_FIELD_LABELS: Record<string, string> = {
  program_type: 'Program type',
  objective: 'Objective',
  target_amount: 'Target',
  'hard_constraints.max_net_leverage': 'Maximum net leverage',
  'hard_constraints.min_interest_coverage': 'Minimum interest coverage',
  'hard_constraints.min_fixed_charge_coverage': 'Minimum fixed-charge coverage',
  'hard_constraints.max_critical_fraction': 'Maximum critical share of sold NOI',
  'hard_constraints.max_lease_adjusted_leverage': 'Maximum lease-adjusted leverage',
  'hard_constraints.max_covenant_leverage': 'Maximum covenant leverage',
  'hard_constraints.max_assets_sold': 'Maximum assets sold',
  'soft_preferences.prefer_low_criticality': 'Prefer low criticality',
  'soft_preferences.prefer_high_leaseability': 'Prefer high leaseability',
  'soft_preferences.weight_criticality': 'Weight of criticality',
  'soft_preferences.weight_leaseability': 'Weight of leaseability',
  'asset_filters.include_asset_types': 'Only these asset types',
  'asset_filters.exclude_asset_types': 'Excluded asset types',
  'asset_filters.exclude_markets': 'Excluded markets',
  'asset_filters.min_leaseability_score': 'Minimum leaseability score',
  'asset_filters.max_criticality': 'Maximum criticality',
  'asset_filters.exclude_asset_ids': 'Excluded assets',
  'asset_filters.include_asset_ids': 'Only these assets',
  time_horizon_years: 'Time horizon (years)',
  max_iterations: 'Maximum iterations',
}

/** A spec field's name from its path, with or without its group (`max_net_leverage` alone works too). */
export function specFieldLabel(path: string): string {
  if (path in SPEC_FIELD_LABELS) return SPEC_FIELD_LABELS[path]
  const match = Object.keys(SPEC_FIELD_LABELS).find((key) => key.endsWith(`.${path}`))
  return match ? SPEC_FIELD_LABELS[match] : humanize(path.split('.').at(-1) ?? path)
}

/** Wire words that may appear inside the server's prose, and how a person would say them. */
const PROSE_WORDS: Record<string, string> = {
  distribution_center: 'distribution center',
  distribution_centers: 'distribution centers',
  mixed_use: 'mixed-use',
  maximize_proceeds: 'maximize proceeds',
  minimize_risk: 'minimize risk',
  numeric_error: 'numeric error',
  user_override: 'your override',
  llm_extraction: 'read from the brief',
  risk_off: 'risk-off',
  geo_focus: 'geographic focus',
  target_amount_override: 'target override',
  floor_override: 'floor override',
  max_leverage_override: 'maximum net leverage override',
  min_coverage_override: 'minimum fixed-charge coverage override',
  selector_spec: 'spec',
  selection_strategy: 'selection strategy',
  ...Object.fromEntries(
    Object.entries(SPEC_FIELD_LABELS).flatMap(([path, label]) => {
      const lower = label.charAt(0).toLowerCase() + label.slice(1)
      const leaf = path.split('.').at(-1)!
      return leaf.includes('_') ? [[path, lower], [leaf, lower]] : [[path, lower]]
    }),
  ),
  hard_constraints: 'hard constraints',
  soft_preferences: 'scoring preferences',
  asset_filters: 'filters',
}

const PROSE_PATTERN = new RegExp(
  `\\b(${Object.keys(PROSE_WORDS)
    .sort((a, b) => b.length - a.length)
    .map((word) => word.replaceAll('.', '\\.'))
    .join('|')})\\b`,
  'g',
)

/**
 * The server's prose (explanations, insights, warnings, violation details) with any wire word
 * it carries said the way a person would: "distribution_center assets" → "distribution center
 * assets", "maximize_proceeds" → "maximize proceeds".
 */
export function readable(text: string): string {
  return text.replace(PROSE_PATTERN, (word) => PROSE_WORDS[word] ?? word)
}

export const SCENARIO_KIND_LABELS: Record<ScenarioKind, string> = {
  base: 'Base',
  risk_off: 'Risk-off',
  aggressive: 'Aggressive',
  geo_focus: 'Geographic focus',
  custom: 'Custom',
}

export const OUTCOME_STATUS_LABELS: Record<SelectionStatus, string> = {
  ok: 'Feasible',
  infeasible: 'Infeasible',
  numeric_error: 'Numeric error',
}

export const CATEGORY_LABELS: Record<NodeCategory, string> = {
  constraint: 'Constraints',
  driver: 'Drivers',
  risk: 'Risks',
  alternative: 'Alternatives',
}

export const SEVERITY_LABELS: Record<Severity, string> = {
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info']

/** Explanation nodes most severe first, keeping the engine's order within a severity. */
export function bySeverity(nodes: ExplanationNode[]): ExplanationNode[] {
  return [...nodes].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))
}

/** Names of request fields as a person would say them. */
const FIELD_LABELS: Record<string, string> = {
  asset_id: 'Asset ID',
  asset_type: 'Asset type',
  market: 'Market',
  noi: 'NOI',
  book_value: 'Book value',
  criticality: 'Criticality',
  leaseability_score: 'Leaseability score',
  name: 'Name',
  country: 'Country',
  market_tier: 'Market tier',
  tenant_name: 'Tenant name',
  tenant_credit_score: 'Tenant credit score',
  wault_years: 'WAULT (years)',
  demographic_index: 'Demographic index',
  esg_risk_score: 'ESG risk score',
  current_ltv: 'Current LTV',
  existing_debt_amount: 'Existing debt amount',
  encumbrance_type: 'Encumbrance type',
  tax_basis: 'Tax basis',
  net_debt: 'Net debt',
  ebitda: 'EBITDA',
  interest_expense: 'Interest expense',
  lease_expense: 'Lease expense',
  program_description: 'Brief',
  program_type: 'Program type',
  brief: 'Brief',
  assets: 'Portfolio',
  corporate_state: 'Corporate state',
  floor_override: 'Floor (minimum acceptable target)',
  max_leverage_override: 'Maximum leverage',
  min_coverage_override: 'Minimum fixed-charge coverage',
  target_amount_override: 'Target',
  selection_strategy: 'Selection strategy',
  num_scenarios: 'Number of scenarios',
  fund_id: 'Fund ID',
  limit: 'Limit',
  assumptions: 'Assumptions',
  cap_rate_shift_bps: 'Cap-rate shift (bps)',
  cap_rate_overrides: 'Cap-rate overrides',
  cap_rate: 'Cap rate',
  transaction_haircut: 'Transaction haircut',
  rent_multiplier: 'Rent multiplier',
  cost_of_debt: 'Cost of debt',
  tax_rate: 'Tax rate',
  lease_term_years: 'Lease term (years)',
  rent_escalator: 'Rent escalator',
  lease_discount_rate: 'Lease discount rate',
  lease_multiple: 'Lease multiple',
  residual_growth: 'Residual growth',
}

/** A field's name; an item of a list by its 1-based number: `cap_rate_overrides[0]` → "Cap-rate override 1". */
export function fieldLabel(field: string): string {
  const item = /^(\w+)\[(\d+)\]$/.exec(field)
  if (item) return `${fieldLabel(item[1]).replace(/s$/, '')} ${Number(item[2]) + 1}`
  return FIELD_LABELS[field] ?? field.replaceAll('_', ' ')
}
