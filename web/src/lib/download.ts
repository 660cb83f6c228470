// Exporting a run: the selected program as CSV (money in whole dollars, ratios and scores to
// 4 decimals), the whole run record as JSON.
import type { RunRecord } from '../api/types'
import { toCsv, type CsvCell } from './csv'
import { isNumber } from './format'

/** Money for a CSV cell: whole dollars; empty when missing. */
export function csvMoney(value: number | null | undefined): number | null {
  return isNumber(value) ? Math.round(value) : null
}

/** A ratio, score or share for a CSV cell: 4 decimals; empty when missing or not meaningful (negative). */
export function csvRatio(value: number | null | undefined): number | null {
  return isNumber(value) && value >= 0 ? Number(value.toFixed(4)) : null
}

/** A score in [0, 1] (criticality, leaseability): 4 decimals. */
function csvScore(value: number): number {
  return Number(value.toFixed(4))
}

const PROGRAM_COLUMNS = [
  'order',
  'asset_id',
  'name',
  'asset_type',
  'market',
  'market_tier',
  'noi',
  'book_value',
  'criticality',
  'leaseability_score',
  'proceeds',
  'slb_rent',
]

/** One row per selected asset, in selection order, with its proceeds and annual rent. */
export function programCsv(run: RunRecord): string {
  const selections = run.response?.outcome.selected_assets ?? []
  const rows: CsvCell[][] = selections.map(({ asset, proceeds, slb_rent }, i) => [
    i + 1,
    asset.asset_id,
    asset.name,
    asset.asset_type,
    asset.market,
    asset.market_tier,
    csvMoney(asset.noi),
    csvMoney(asset.book_value),
    csvScore(asset.criticality),
    csvScore(asset.leaseability_score),
    csvMoney(proceeds),
    csvMoney(slb_rent),
  ])
  return toCsv([PROGRAM_COLUMNS, ...rows])
}

export function programJson(run: RunRecord): string {
  return `${JSON.stringify(run, null, 2)}\n`
}

export function exportFileName(run: RunRecord, extension: 'csv' | 'json'): string {
  return `slb-program-${run.run_id.slice(0, 8)}.${extension}`
}

/** Hands a text file to the browser's download manager. */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
