// A portfolio as CSV: the upload format, offered as a template.
import type { Asset } from '../api/types'
import { toCsv } from './csv'
import { CSV_COLUMNS } from './portfolio'

export function portfolioCsv(assets: Asset[]): string {
  return toCsv([[...CSV_COLUMNS], ...assets.map((asset) => CSV_COLUMNS.map((column) => asset[column] ?? null))])
}
