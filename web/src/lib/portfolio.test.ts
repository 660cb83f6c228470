import { describe, expect, it } from 'vitest'
import { DEMO_PORTFOLIO } from './demo'
import { parseAmount, readPortfolioFile, type PortfolioReading } from './portfolio'
import { portfolioCsv } from './portfolioCsv'
import { describeProblem } from './problems'

const HEADER = 'asset_id,asset_type,market,noi,book_value,criticality,leaseability_score,name,market_tier'

function problems(reading: PortfolioReading): string[] {
  return reading.ok ? [] : reading.problems.map(describeProblem)
}

describe('reading a portfolio CSV', () => {
  it('reads assets with optional fields left null', () => {
    const reading = readPortfolioFile(
      'p.csv',
      `${HEADER}\nA1,store,"Dallas, TX",1500000,20000000,0.3,0.8,Dallas Store,2\nA2,Distribution Center,Austin,2000000,25000000,0.5,0.6,,`,
    )
    expect(reading.ok).toBe(true)
    if (!reading.ok) return
    const [first, second] = reading.portfolio.assets
    expect(first).toMatchObject({ asset_id: 'A1', asset_type: 'store', market: 'Dallas, TX', noi: 1_500_000, market_tier: 2, name: 'Dallas Store' })
    expect(second).toMatchObject({ asset_type: 'distribution_center', name: null, market_tier: null, tenant_name: null })
    expect(reading.portfolio.corporateState).toBeNull()
  })

  it('names the row, asset and field of every problem', () => {
    const reading = readPortfolioFile(
      'p.csv',
      `${HEADER}\nA1,store,Dallas,-5,20000000,1.4,0.8,,\nA1,castle,Austin,abc,1,0.5,0.5,,7\n,store,Reno,1,1,0.5,0.5,,`,
    )
    expect(problems(reading)).toEqual([
      'Row 1 (A1): NOI must be greater than 0.',
      'Row 1 (A1): Criticality must be between 0 and 1.',
      'Row 2 (A1): Asset type must be one of store, distribution_center, office, mixed_use, other (got "castle").',
      'Row 2 (A1): NOI must be a number (got "abc").',
      'Row 2 (A1): Market tier must be 1, 2 or 3 (got "7").',
      'Row 3: Asset ID is required.',
      'Row 2 (A1): Asset ID duplicates row 1.',
    ])
  })

  it('says which required columns are missing', () => {
    expect(problems(readPortfolioFile('p.csv', 'asset_id,market\nA1,Dallas'))).toEqual([
      'The header row is missing the columns asset_type, noi, book_value, criticality, leaseability_score.',
    ])
  })

  it('accepts its own template', () => {
    const reading = readPortfolioFile('template.csv', portfolioCsv(DEMO_PORTFOLIO.assets))
    expect(reading.ok && reading.portfolio.assets).toEqual(DEMO_PORTFOLIO.assets)
  })

  it('reads a tax basis (the credit analysis taxes the gain over it) and leaves it off when absent', () => {
    const csv = 'asset_id,asset_type,market,noi,book_value,criticality,leaseability_score,tax_basis\nA1,store,Reno,1000000,9000000,0.2,0.8,6.5M\nA2,store,Boise,1000000,9000000,0.2,0.8,\nA3,store,Omaha,1000000,9000000,0.2,0.8,-1\n'
    const reading = readPortfolioFile('p.csv', csv)
    expect(!reading.ok && reading.problems).toEqual([{ row: 3, assetId: 'A3', field: 'tax_basis', message: 'must be at least 0' }])
    const valid = readPortfolioFile('p.csv', csv.split('\n').slice(0, 3).join('\n'))
    expect(valid.ok && valid.portfolio.assets.map((a) => a.tax_basis)).toEqual([6_500_000, undefined])
    expect(valid.ok && 'tax_basis' in valid.portfolio.assets[1]).toBe(false)
    const roundTrip = valid.ok ? readPortfolioFile('again.csv', portfolioCsv(valid.portfolio.assets)) : null
    expect(roundTrip?.ok && roundTrip.portfolio.assets).toEqual(valid.ok && valid.portfolio.assets)
  })
})

describe('reading a portfolio JSON', () => {
  it('reads the API shape with its corporate state', () => {
    const reading = readPortfolioFile(
      'p.json',
      JSON.stringify({
        assets: [{ asset_id: 'A', asset_type: 'office', market: 'NYC', noi: 1, book_value: 2, criticality: 0, leaseability_score: 1 }],
        corporate_state: { net_debt: 100, ebitda: -5, interest_expense: 3 },
      }),
    )
    expect(reading.ok && reading.portfolio.corporateState).toEqual({ net_debt: 100, ebitda: -5, interest_expense: 3, lease_expense: null })
  })

  it('reports bad JSON, bad shapes and bad corporate fields in words', () => {
    expect(problems(readPortfolioFile('p.json', '{nope'))[0]).toMatch(/^The file is not valid JSON/)
    expect(problems(readPortfolioFile('p.json', '{"items": []}'))).toEqual(['Expected a list of assets or an object with an "assets" list.'])
    const state = readPortfolioFile(
      'p.json',
      JSON.stringify({
        assets: [{ asset_id: 'A', asset_type: 'office', market: 'NYC', noi: 1, book_value: 2, criticality: 0, leaseability_score: 1 }],
        corporate_state: { net_debt: -1, ebitda: 'lots', interest_expense: 3 },
      }),
    )
    expect(problems(state)).toEqual(['Corporate state, net debt must be at least 0.', 'Corporate state, EBITDA must be a number (got "lots").'])
  })

  it('loads the demo portfolio (48 assets with a corporate state)', () => {
    expect(DEMO_PORTFOLIO.assets).toHaveLength(48)
    expect(DEMO_PORTFOLIO.corporateState.net_debt).toBeGreaterThan(0)
  })
})

describe('parseAmount', () => {
  it('reads amounts as people type them', () => {
    expect(parseAmount('$250M')).toBe(250_000_000)
    expect(parseAmount('1,250,000')).toBe(1_250_000)
    expect(parseAmount('1.5bn')).toBe(1_500_000_000)
    expect(parseAmount('750k')).toBe(750_000)
    expect(parseAmount('3.5x')).toBe(3.5)
    expect(parseAmount('-2')).toBe(-2)
    expect(parseAmount('twelve')).toBeNull()
    expect(parseAmount('')).toBeNull()
  })
})
