// Reading a portfolio from an uploaded CSV or JSON file and checking it the way the API does
// (same ranges, same field names), so problems are shown per row and field before a request
// is sent. The server checks again; its answer is shown the same way.
import type { Asset, AssetType, CorporateState, MarketTier } from '../api/types'
import { parseCsv } from './csv'

const ASSET_TYPES: readonly AssetType[] = [
  'store',
  'distribution_center',
  'office',
  'mixed_use',
  'other',
]

/** One problem with one field of one row (row is 1-based; null for the whole file). */
export type Problem = { row: number | null; assetId: string | null; field: string | null; message: string }

export type Portfolio = { assets: Asset[]; corporateState: CorporateState | null }

export type PortfolioReading =
  | { ok: true; portfolio: Portfolio }
  | { ok: false; problems: Problem[] }

type Raw = Record<string, unknown>

const REQUIRED_COLUMNS = [
  'asset_id',
  'asset_type',
  'market',
  'noi',
  'book_value',
  'criticality',
  'leaseability_score',
] as const

/** The CSV columns, in template order: the required ones, then the optional ones. */
export const CSV_COLUMNS = [
  ...REQUIRED_COLUMNS,
  'name',
  'country',
  'market_tier',
  'tenant_name',
  'tenant_credit_score',
  'wault_years',
  'demographic_index',
  'esg_risk_score',
  'current_ltv',
  'existing_debt_amount',
  'encumbrance_type',
  'tax_basis',
] as const

/** Reads a file's text by its name: `.csv` as CSV, anything else as JSON. */
export function readPortfolioFile(fileName: string, text: string): PortfolioReading {
  return fileName.toLowerCase().endsWith('.csv') ? readPortfolioCsv(text) : readPortfolioJson(text)
}

/** A CSV with a header row naming asset fields (case and spaces do not matter). */
function readPortfolioCsv(text: string): PortfolioReading {
  const [header, ...rows] = parseCsv(text)
  if (!header) return failure('The file is empty.')
  const columns = header.map((h) => h.trim().toLowerCase().replaceAll(/[\s-]+/g, '_'))
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c))
  if (missing.length > 0) {
    return failure(
      `The header row is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
    )
  }
  if (rows.length === 0) return failure('The file has a header row but no assets.')
  const records = rows.map((cells) => {
    const record: Raw = {}
    columns.forEach((column, i) => {
      const cell = (cells[i] ?? '').trim()
      if (cell !== '') record[column] = cell
    })
    return record
  })
  return checkAssets(records, null)
}

/** `{"assets": [...], "corporate_state": {...}}` (the API's shape) or a bare array of assets. */
export function readPortfolioJson(text: string): PortfolioReading {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return failure(`The file is not valid JSON (${e instanceof Error ? e.message : String(e)}).`)
  }
  const list = Array.isArray(value) ? value : isRecord(value) ? value.assets : undefined
  if (!Array.isArray(list)) {
    return failure('Expected a list of assets or an object with an "assets" list.')
  }
  if (list.length === 0) return failure('The portfolio has no assets.')
  const records = list.map((item) => (isRecord(item) ? item : {}))
  const state = isRecord(value) && !Array.isArray(value) ? value.corporate_state : undefined
  return checkAssets(records, state === undefined || state === null ? null : state)
}

function checkAssets(records: Raw[], rawState: unknown): PortfolioReading {
  const problems: Problem[] = []
  const assets = records.map((record, i) => readAsset(record, i + 1, problems))
  const firstRowOf = new Map<string, number>()
  assets.forEach((asset, i) => {
    if (asset.asset_id === '') return
    const first = firstRowOf.get(asset.asset_id)
    if (first === undefined) firstRowOf.set(asset.asset_id, i + 1)
    else problems.push(problemAt(i + 1, asset.asset_id, 'asset_id', `duplicates row ${first}`))
  })
  if (rawState !== null && !isRecord(rawState)) {
    problems.push({ row: null, assetId: null, field: 'corporate_state', message: 'must be an object' })
  }
  const corporateState = isRecord(rawState) ? readCorporateState(rawState, problems) : null
  return problems.length > 0 ? { ok: false, problems } : { ok: true, portfolio: { assets, corporateState } }
}

function readAsset(record: Raw, row: number, problems: Problem[]): Asset {
  const assetId = text(record.asset_id) ?? ''
  const fields = new FieldReader(record, (field, message) =>
    problems.push(problemAt(row, assetId || null, field, message)),
  )
  if (assetId.trim() === '') fields.fail('asset_id', 'is required')
  // Read only by the credit analysis (the tax on the gain); absent = the book value. Left off the
  // asset when absent, as the API leaves it off the wire.
  const taxBasis = fields.optionalNumber('tax_basis', { min: 0 })
  return {
    ...(taxBasis === null ? {} : { tax_basis: taxBasis }),
    asset_id: assetId,
    asset_type: fields.assetType(),
    market: fields.requiredText('market'),
    noi: fields.number('noi', { gt: 0 }),
    book_value: fields.number('book_value', { gt: 0 }),
    criticality: fields.number('criticality', { min: 0, max: 1 }),
    leaseability_score: fields.number('leaseability_score', { min: 0, max: 1 }),
    name: text(record.name),
    country: text(record.country),
    market_tier: fields.marketTier(),
    tenant_name: text(record.tenant_name),
    tenant_credit_score: fields.optionalNumber('tenant_credit_score', { min: 0, max: 1 }),
    wault_years: fields.optionalNumber('wault_years', { min: 0 }),
    demographic_index: fields.optionalNumber('demographic_index', {}),
    esg_risk_score: fields.optionalNumber('esg_risk_score', {}),
    current_ltv: fields.optionalNumber('current_ltv', { min: 0, max: 1 }),
    existing_debt_amount: fields.optionalNumber('existing_debt_amount', { min: 0 }),
    encumbrance_type: text(record.encumbrance_type),
  }
}

function readCorporateState(record: Raw, problems: Problem[]): CorporateState {
  const fields = new FieldReader(record, (field, message) =>
    problems.push({ row: null, assetId: null, field: `corporate_state.${field}`, message }),
  )
  return {
    net_debt: fields.number('net_debt', { min: 0 }),
    ebitda: fields.number('ebitda', {}),
    interest_expense: fields.number('interest_expense', { min: 0 }),
    lease_expense: fields.optionalNumber('lease_expense', { min: 0 }),
  }
}

/** Inclusive `min`/`max`, exclusive `gt`: the API's ranges. */
export type Range = { min?: number; max?: number; gt?: number; lt?: number }

/** Why a number breaks a range, in the API's words, or null when it is fine. */
export function rangeProblem(value: number, range: Range): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number'
  const { min, max, gt, lt } = range
  if (gt !== undefined && lt !== undefined && !(value > gt && value < lt)) return `must be between ${gt} and ${lt} (exclusive)`
  if (min !== undefined && max !== undefined && !(value >= min && value <= max)) return `must be between ${min} and ${max}`
  if (gt !== undefined && max !== undefined && !(value > gt && value <= max)) return `must be above ${gt} and at most ${max}`
  if (gt !== undefined && lt === undefined && max === undefined && !(value > gt)) return `must be greater than ${gt}`
  if (min !== undefined && max === undefined && !(value >= min)) return `must be at least ${min}`
  return null
}

/** Parses a number as people type it: "1,250,000", "$250M", "1.5bn", "750k", "3.5x", "12%". */
export function parseAmount(input: string): number | null {
  const cleaned = input.trim().toLowerCase().replaceAll(/[$,\s_]/g, '')
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(k|m|mm|bn|b|x|%)?$/.exec(cleaned)
  if (!match) return null
  // Percentages divide (12% → 0.12 exactly as typed; × 0.01 would give 0.12000000000000001).
  if (match[2] === '%') return Number(match[1]) / 100
  const scale: Record<string, number> = { k: 1e3, m: 1e6, mm: 1e6, b: 1e9, bn: 1e9, x: 1 }
  return Number(match[1]) * (match[2] ? scale[match[2]] : 1)
}

class FieldReader {
  private readonly record: Raw
  readonly fail: (field: string, message: string) => void

  constructor(record: Raw, fail: (field: string, message: string) => void) {
    this.record = record
    this.fail = fail
  }

  requiredText(field: string): string {
    const value = text(this.record[field])
    if (value === null || value.trim() === '') {
      this.fail(field, 'is required')
      return ''
    }
    return value
  }

  number(field: string, range: Range): number {
    const raw = this.record[field]
    if (raw === undefined || raw === null || raw === '') {
      this.fail(field, 'is required')
      return Number.NaN
    }
    return this.checked(field, raw, range) ?? Number.NaN
  }

  optionalNumber(field: string, range: Range): number | null {
    const raw = this.record[field]
    return raw === undefined || raw === null || raw === '' ? null : this.checked(field, raw, range)
  }

  assetType(): AssetType {
    const raw = text(this.record.asset_type)?.trim().toLowerCase().replaceAll(/[\s-]+/g, '_') ?? ''
    if (raw === '') this.fail('asset_type', 'is required')
    else if (!ASSET_TYPES.includes(raw as AssetType)) {
      this.fail('asset_type', `must be one of ${ASSET_TYPES.join(', ')} (got "${raw}")`)
    }
    return raw as AssetType
  }

  marketTier(): MarketTier | null {
    const raw = this.record.market_tier
    if (raw === undefined || raw === null || raw === '') return null
    const tier = Number(raw)
    if (tier === 1 || tier === 2 || tier === 3) return tier
    this.fail('market_tier', `must be 1, 2 or 3 (got "${String(raw)}")`)
    return null
  }

  private checked(field: string, raw: unknown, range: Range): number | null {
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseAmount(raw) : null
    if (value === null) {
      this.fail(field, `must be a number (got "${typeof raw === 'string' ? raw : JSON.stringify(raw)}")`)
      return null
    }
    const problem = rangeProblem(value, range)
    if (problem) this.fail(field, problem)
    return value
  }
}

function problemAt(row: number, assetId: string | null, field: string, message: string): Problem {
  return { row, assetId, field, message }
}

function failure(message: string): PortfolioReading {
  return { ok: false, problems: [{ row: null, assetId: null, field: null, message }] }
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  return null
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null
}
