// Exporting a scenario set: one CSV row per scenario (money in whole dollars, ratios to 4 dp),
// and the whole set with its runs as JSON.
import type { ScenarioSetWithRuns } from '../api/client'
import { afterTaxProceeds, creditMetric } from './credit'
import { toCsv, type CsvCell } from './csv'
import { csvMoney, csvRatio } from './download'

const COLUMNS = [
  'scenario',
  'kind',
  'run_status',
  'outcome',
  'selection_strategy',
  'target',
  'revised_target',
  'proceeds',
  'after_tax_proceeds',
  'net_leverage_before',
  'net_leverage_after',
  'max_net_leverage',
  'interest_coverage_after',
  'fixed_charge_coverage_after',
  'min_fixed_charge_coverage',
  'lease_adjusted_leverage_after',
  'covenant_leverage_after',
  'critical_share',
  'assets_sold',
  'asset_ids',
  'run_id',
]

export function scenarioSetCsv(set: ScenarioSetWithRuns): string {
  const rows: CsvCell[][] = set.runs.map((run) => {
    const response = run.response
    const outcome = response?.outcome
    const spec = response?.selector_spec
    const credit = response?.credit_analysis ?? null
    const target = response?.audit_trace?.original_target ?? spec?.target_amount ?? null
    return [
      run.scenario_label,
      run.scenario_kind,
      run.status,
      outcome?.status ?? null,
      run.request ? (run.request.selection_strategy ?? 'greedy') : null,
      csvMoney(target),
      csvMoney(spec && spec.target_amount !== target ? spec.target_amount : null),
      csvMoney(outcome?.proceeds),
      csvMoney(afterTaxProceeds(credit)),
      csvRatio(outcome?.leverage_before),
      csvRatio(outcome?.leverage_after),
      csvRatio(spec?.hard_constraints.max_net_leverage),
      csvRatio(outcome?.interest_coverage_after),
      csvRatio(outcome?.fixed_charge_coverage_after),
      csvRatio(spec?.hard_constraints.min_fixed_charge_coverage),
      csvRatio(creditMetric(credit, 'lease_adjusted_leverage')?.after),
      csvRatio(creditMetric(credit, 'covenant_leverage')?.after),
      csvRatio(outcome?.critical_fraction),
      outcome ? outcome.selected_assets.length : null,
      outcome ? outcome.selected_assets.map((s) => s.asset.asset_id).join(' ') : null,
      run.run_id,
    ]
  })
  return toCsv([COLUMNS, ...rows])
}

export function scenarioSetJson(set: ScenarioSetWithRuns): string {
  return `${JSON.stringify(set, null, 2)}\n`
}

export function scenarioSetFileName(set: ScenarioSetWithRuns, extension: 'csv' | 'json'): string {
  return `slb-scenarios-${set.scenario_set.id.slice(0, 8)}.${extension}`
}
