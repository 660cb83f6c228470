import { describe, expect, it } from 'vitest'
import { formErrors, initialForm, programRequest, scenarioSetRequest, type PlannerForm } from './plannerForm'

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
})
