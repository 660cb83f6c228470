// Readable names for the wire enums and fields.
import type {
  AssetType,
  ExplanationNode,
  NodeCategory,
  ScenarioKind,
  SelectionStatus,
  Severity,
} from '../api/types'

export const ASSET_TYPE_LABELS: Record<AssetType, string> = {
  store: 'Store',
  distribution_center: 'Distribution center',
  office: 'Office',
  mixed_use: 'Mixed use',
  other: 'Other',
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
