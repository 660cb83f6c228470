// Exporting a run: the selected program as CSV, the whole run record as JSON.
import type { RunRecord } from '../api/types'
import { toCsv, type CsvCell } from './csv'

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
    asset.noi,
    asset.book_value,
    asset.criticality,
    asset.leaseability_score,
    proceeds,
    slb_rent,
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
