import { describe, expect, it } from 'vitest'
import { emptyAssumptions } from './assumptions'
import { errorFieldName, formErrors, initialForm, programRequest, scenarioSetRequest, type PlannerForm } from './plannerForm'

function withOverrides(overrides: Partial<PlannerForm['overrides']>): PlannerForm {
  const form = initialForm()
  return { ...form, overrides: { ...form.overrides, ...overrides } }
}

describe('planner form', () => {
  it('starts valid on the demo portfolio', () => {
    expect(formErrors(initialForm())).toEqual({})
  })

  it('checks overrides against the API ranges', () => {
    expect(formErrors(withOverrides({ max_leverage_override: '12', min_coverage_override: '0', target_amount_override: 'lots' }))).toEqual({
      max_leverage_override: 'must be between 0 and 10 (exclusive)',
      min_coverage_override: 'must be between 0 and 20 (exclusive)',
      target_amount_override: 'must be a number, such as 250000000 or 250M',
    })
  })

  it('rejects a floor above the target', () => {
    expect(formErrors(withOverrides({ target_amount_override: '200M', floor_override: '250M' }))).toEqual({
      floor_override: 'must not exceed the target ($200.0M)',
    })
  })

  it('requires a brief and the corporate figures', () => {
    const form = initialForm()
    const errors = formErrors({ ...form, brief: '  ', corporate: { ...form.corporate, net_debt: '', lease_expense: '' } })
    expect(errors).toEqual({ brief: 'is required: describe what to raise and under which limits', net_debt: 'is required' })
  })

  it('builds the program request from typed amounts', () => {
    const form = { ...withOverrides({ target_amount_override: '$300M', max_leverage_override: '3.5x' }), strategy: 'optimal' as const }
    const request = programRequest(form)
    expect(request).toMatchObject({
      program_type: 'slb',
      target_amount_override: 300_000_000,
      max_leverage_override: 3.5,
      floor_override: null,
      min_coverage_override: null,
      selection_strategy: 'optimal',
    })
    expect(request.assets).toHaveLength(48)
    expect(scenarioSetRequest({ ...form, fundId: ' F1 ', scenarioCount: 4 })).toMatchObject({ num_scenarios: 4, fund_id: 'F1', brief: form.brief })
  })

  it('sends no assumptions by default, and the typed ones on the program and the scenario base', () => {
    expect(programRequest(initialForm()).assumptions).toBeNull()
    const form = initialForm()
    const assumptions = emptyAssumptions()
    const withAssumptions: PlannerForm = {
      ...form,
      assumptions: {
        fields: { ...assumptions.fields, tax_rate: '21%', lease_multiple: '7x' },
        capRateOverrides: [{ key: 1, asset_type: 'store', market_tier: 2, cap_rate: '6%' }],
      },
    }
    const expected = { tax_rate: 0.21, lease_multiple: 7, cost_of_debt: null, cap_rate_overrides: [{ asset_type: 'store', market_tier: 2, cap_rate: 0.06 }] }
    expect(programRequest(withAssumptions).assumptions).toMatchObject(expected)
    expect(scenarioSetRequest(withAssumptions).base_request.assumptions).toMatchObject(expected)
  })

  it('reports bad assumptions with the field named', () => {
    const form = initialForm()
    const errors = formErrors({ ...form, assumptions: { ...form.assumptions, fields: { ...form.assumptions.fields, tax_rate: '70%' }, capRateOverrides: [{ key: 1, asset_type: 'office', market_tier: 1, cap_rate: '' }] } })
    expect(errors).toEqual({ tax_rate: 'must be between 0% and 60%', 'cap_rate_overrides.0.cap_rate': 'is required' })
    expect(errorFieldName('tax_rate')).toBe('Tax rate')
    expect(errorFieldName('cap_rate_shift_bps')).toBe('Cap-rate shift')
    expect(errorFieldName('cap_rate_overrides.0.cap_rate')).toBe('Cap rate of override 1')
    expect(errorFieldName('max_leverage_override')).toBe('Maximum net leverage')
  })
})
