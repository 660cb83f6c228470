import { describe, expect, it } from 'vitest'
import { assetMix, readable, specFieldLabel, strategyLabel } from './labels'

describe('prose', () => {
  it('says wire words the way a person would', () => {
    expect(readable('92.0% of proceeds from distribution_center assets')).toBe('92.0% of proceeds from distribution center assets')
    expect(readable('the objective maximize_proceeds is bounded by the target')).toBe('the objective maximize proceeds is bounded by the target')
    expect(readable('hard_constraints.max_net_leverage was relaxed')).toBe('maximum net leverage was relaxed')
    expect(readable('max_assets_sold and mixed_use')).toBe('maximum assets sold and mixed-use')
    // Ids, amounts and ordinary words are left alone.
    expect(readable('Sell P012 (Denver Store 5) for $25,000,000')).toBe('Sell P012 (Denver Store 5) for $25,000,000')
  })

  it('names strategies, spec fields and portfolios in words', () => {
    expect(strategyLabel('optimal')).toBe('Optimal')
    expect(strategyLabel('greedy')).toBe('Reference greedy')
    expect(strategyLabel(null)).toBe('Reference greedy')
    expect(specFieldLabel('hard_constraints.max_lease_adjusted_leverage')).toBe('Maximum lease-adjusted leverage')
    expect(specFieldLabel('max_criticality')).toBe('Maximum criticality')
    expect(assetMix(['store', 'distribution_center', 'store', 'mixed_use', 'other'])).toBe('2 stores, 1 distribution center, 1 mixed-use property and 1 other property')
    expect(assetMix(['distribution_center', 'distribution_center'])).toBe('2 distribution centers')
  })
})
