import { describe, expect, it } from 'vitest'
import type { ResolvedAssumptions } from '../api/types'
import {
  assumptionErrors,
  assumptionHint,
  assumptionPlaceholder,
  assumptionsRequest,
  emptyAssumptions,
  resolvedAssumptionRows,
  type AssumptionField,
  type AssumptionsForm,
  type CapRateOverrideRow,
} from './assumptions'

function withFields(fields: Partial<Record<AssumptionField, string>>, capRateOverrides: CapRateOverrideRow[] = []): AssumptionsForm {
  const form = emptyAssumptions()
  return { fields: { ...form.fields, ...fields }, capRateOverrides }
}

const DEFAULTS: ResolvedAssumptions = {
  cap_rate_shift_bps: 0,
  cap_rate_overrides: [],
  transaction_haircut: 0.025,
  rent_multiplier: 1,
  cost_of_debt: 0.06,
  tax_rate: 0.25,
  lease_term_years: 15,
  rent_escalator: 0.02,
  lease_discount_rate: 0.06,
  lease_multiple: 8,
  residual_growth: 0.02,
}

describe('assumptions', () => {
  it('sends nothing when every field is empty (the server defaults)', () => {
    expect(assumptionErrors(emptyAssumptions())).toEqual({})
    expect(assumptionsRequest(emptyAssumptions())).toBeNull()
  })

  it('accepts the ends of the API ranges that are allowed', () => {
    const form = withFields({
      cap_rate_shift_bps: '-500',
      transaction_haircut: '0',
      rent_multiplier: '3',
      tax_rate: '60%',
      lease_term_years: '50',
      rent_escalator: '-5%',
      lease_multiple: '20x',
      residual_growth: '15%',
    })
    expect(assumptionErrors(form)).toEqual({})
  })

  it('checks each field against its API range and names the range in its unit', () => {
    const form = withFields({
      cap_rate_shift_bps: '501',
      transaction_haircut: '50%',
      rent_multiplier: '0',
      cost_of_debt: '0.5',
      tax_rate: '61%',
      lease_term_years: '0',
      rent_escalator: '0.2',
      lease_discount_rate: '0',
      lease_multiple: '21',
      residual_growth: '-11%',
    })
    expect(assumptionErrors(form)).toEqual({
      cap_rate_shift_bps: 'must be between −500 bps and 500 bps',
      transaction_haircut: 'must be at least 0% and below 50%',
      rent_multiplier: 'must be above 0x and at most 3x',
      cost_of_debt: 'must be between 0% and 50% (exclusive)',
      tax_rate: 'must be between 0% and 60%',
      lease_term_years: 'must be between 1 and 50',
      rent_escalator: 'must be between −5% and 15%',
      lease_discount_rate: 'must be between 0% and 50% (exclusive)',
      lease_multiple: 'must be between 0x and 20x',
      residual_growth: 'must be between −10% and 15%',
    })
  })

  it('wants numbers, and whole years for the lease term', () => {
    expect(assumptionErrors(withFields({ tax_rate: 'a quarter', lease_term_years: '12.5', lease_multiple: 'eight' }))).toEqual({
      tax_rate: 'must be a number such as 25% or 0.25',
      lease_term_years: 'must be a whole number of years, 1 to 50',
      lease_multiple: 'must be a number such as 8x',
    })
  })

  it('checks the cap-rate overrides row by row', () => {
    const rows: CapRateOverrideRow[] = [
      { key: 1, asset_type: 'store', market_tier: 1, cap_rate: '5.5%' },
      { key: 2, asset_type: 'office', market_tier: 2, cap_rate: '' },
      { key: 3, asset_type: 'store', market_tier: 1, cap_rate: '0.5' },
    ]
    expect(assumptionErrors(withFields({}, rows))).toEqual({
      'cap_rate_overrides.1.cap_rate': 'is required',
      'cap_rate_overrides.2.cap_rate': 'must be between 0% and 50% (exclusive)',
      'cap_rate_overrides.2.cell': 'repeats override 1 (Store, tier 1)',
    })
  })

  it('builds the request: typed values, null for the empty fields', () => {
    const form = withFields({ tax_rate: '21%', lease_term_years: '20', cap_rate_shift_bps: '+25', rent_multiplier: '1.05x', residual_growth: '0.03' }, [
      { key: 1, asset_type: 'distribution_center', market_tier: 1, cap_rate: '5.25%' },
    ])
    expect(assumptionsRequest(form)).toEqual({
      cap_rate_shift_bps: 25,
      cap_rate_overrides: [{ asset_type: 'distribution_center', market_tier: 1, cap_rate: 0.0525 }],
      transaction_haircut: null,
      rent_multiplier: 1.05,
      cost_of_debt: null,
      tax_rate: 0.21,
      lease_term_years: 20,
      rent_escalator: null,
      lease_discount_rate: null,
      lease_multiple: null,
      residual_growth: 0.03,
    })
  })

  it('shows the defaults as placeholders and in the hints', () => {
    const form = emptyAssumptions()
    expect(assumptionPlaceholder('tax_rate', form)).toBe('25%')
    expect(assumptionPlaceholder('transaction_haircut', form)).toBe('2.5%')
    expect(assumptionPlaceholder('lease_multiple', form)).toBe('8.0x')
    expect(assumptionPlaceholder('lease_term_years', form)).toBe('15')
    expect(assumptionPlaceholder('lease_discount_rate', form)).toBe('6% = cost of debt')
    expect(assumptionPlaceholder('lease_discount_rate', withFields({ cost_of_debt: '7.25%' }))).toBe('7.25% = cost of debt')
    expect(assumptionHint('tax_rate')).toBe('On the net gain over tax basis · default 25% · 0% to 60%')
    expect(assumptionHint('transaction_haircut')).toContain('0% to under 50%')
  })

  it('lists the resolved assumptions, with the default beside a changed value', () => {
    const rows = resolvedAssumptionRows({ ...DEFAULTS, tax_rate: 0.21, cost_of_debt: 0.065, lease_discount_rate: 0.065, cap_rate_overrides: [{ asset_type: 'office', market_tier: 3, cap_rate: 0.08 }] })
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]))
    expect(byKey.tax_rate).toMatchObject({ label: 'Tax rate', value: '21%', fallback: '25%' })
    expect(byKey.cost_of_debt).toMatchObject({ value: '6.5%', fallback: '6%' })
    // The discount rate defaults to the run's cost of debt: equal to it is the default.
    expect(byKey.lease_discount_rate).toMatchObject({ value: '6.5%', fallback: null })
    expect(byKey.lease_term_years).toMatchObject({ value: '15 years', fallback: null })
    expect(byKey.cap_rate_overrides.value).toBe('Office, tier 3: 8%')
    expect(resolvedAssumptionRows(DEFAULTS).every((r) => r.fallback === null)).toBe(true)
  })
})
