import { describe, expect, it } from 'vitest'
import type { Frontier, ProgramRequest, SelectorSpec, SensitivityGrid } from '../api/types'
import { cellRunRequest, defaultAxisValues, formatMetric, heat, parseValues, pointRunRequest } from './analyses'

const spec: SelectorSpec = {
  program_type: 'slb',
  objective: 'balanced',
  target_amount: 300e6,
  hard_constraints: {
    max_net_leverage: 4.2,
    min_interest_coverage: null,
    min_fixed_charge_coverage: 3,
    max_critical_fraction: 0.5,
    max_lease_adjusted_leverage: null,
    max_covenant_leverage: null,
    max_assets_sold: null,
  },
  soft_preferences: { prefer_low_criticality: true, prefer_high_leaseability: true, weight_criticality: 1, weight_leaseability: 1 },
  asset_filters: {
    include_asset_types: null,
    exclude_asset_types: null,
    exclude_markets: ['Dallas, TX'],
    min_leaseability_score: null,
    max_criticality: null,
    exclude_asset_ids: null,
    include_asset_ids: null,
  },
  time_horizon_years: null,
  max_iterations: 3,
}

const request = {
  assets: [],
  corporate_state: { net_debt: 1, ebitda: 1, interest_expense: 1, lease_expense: null },
  program_type: 'slb',
  program_description: 'Raise $300M',
  floor_override: 280e6,
  max_leverage_override: 4.2,
  min_coverage_override: null,
  target_amount_override: 300e6,
  selection_strategy: 'greedy',
  assumptions: null,
  selector_spec: spec,
} as unknown as ProgramRequest

describe('a frontier point as a run', () => {
  const frontier = { metric: 'critical_fraction', selector_spec: spec } as unknown as Frontier
  const point = { proceeds: 812e6, metric_value: 0.3, level: 0.35, asset_ids: ['P001', 'P007'] } as unknown as Frontier['points'][number]
  const run = pointRunRequest(request, frontier, point)

  it('keeps only the point’s assets eligible and maximises proceeds among them, exactly', () => {
    expect(run.selection_strategy).toBe('optimal')
    expect(run.selector_spec?.objective).toBe('maximize_proceeds')
    expect(run.selector_spec?.asset_filters.include_asset_ids).toEqual(['P001', 'P007'])
    expect(run.selector_spec?.asset_filters.exclude_markets).toEqual(['Dallas, TX'])
    expect(run.selector_spec?.target_amount).toBe(812e6)
    expect(run.target_amount_override).toBeNull()
    expect(run.floor_override).toBeNull()
    expect(run.selector_spec?.max_iterations).toBe(1)
  })

  it('caps the metric at the point’s ceiling, never loosening the spec’s own limit', () => {
    expect(run.selector_spec?.hard_constraints.max_critical_fraction).toBe(0.35)
    const loose = pointRunRequest(request, frontier, { ...point, level: 0.9 })
    expect(loose.selector_spec?.hard_constraints.max_critical_fraction).toBe(0.5)
  })
})

describe('a grid cell as a run', () => {
  const grid = {
    axes: [
      { parameter: 'cap_rate_shift_bps', values: [-50, 0, 50] },
      { parameter: 'target_amount', values: [200e6, 300e6] },
    ],
    strategy: 'optimal',
    selector_spec: spec,
  } as unknown as SensitivityGrid
  const cell = { row: 2, col: 0 } as unknown as SensitivityGrid['cells'][number]
  const run = cellRunRequest(request, grid, cell)

  it('writes the row value into the assumptions and the column value into the spec', () => {
    expect(run.assumptions?.cap_rate_shift_bps).toBe(50)
    expect(run.selector_spec?.target_amount).toBe(200e6)
    // The override would replace the cell's target: it goes.
    expect(run.target_amount_override).toBeNull()
    expect(run.floor_override).toBeNull()
    expect(run.max_leverage_override).toBe(4.2)
    expect(run.selection_strategy).toBe('optimal')
    expect(run.selector_spec?.max_iterations).toBe(1)
  })
})

describe('axis values', () => {
  it('centre on the run’s own value', () => {
    expect(defaultAxisValues('target_amount', spec, null)).toEqual([150e6, 225e6, 300e6, 375e6, 450e6])
    expect(defaultAxisValues('max_net_leverage', spec, null)).toEqual([3.2, 3.7, 4.2, 4.7, 5.2])
    expect(defaultAxisValues('cap_rate_shift_bps', spec, null)).toEqual([-100, -50, 0, 50, 100])
  })

  it('parse from text and refuse what is not a number', () => {
    expect(parseValues('-50, 0,50')).toEqual([-50, 0, 50])
    expect(parseValues('1e8 2e8')).toEqual([1e8, 2e8])
    expect(parseValues('1, x')).toBeNull()
  })
})

describe('formats', () => {
  it('read as the metric’s kind', () => {
    expect(formatMetric('new_rent', 12_300_000)).toBe('$12.3M')
    expect(formatMetric('critical_fraction', 0.35)).toBe('35.0%')
    expect(formatMetric('lease_adjusted_leverage', 4.2)).toBe('4.20x')
  })

  it('heat runs from paper to the accent', () => {
    expect(heat(0)).toBe('rgb(248, 245, 239)')
    expect(heat(1)).toBe('rgb(31, 92, 88)')
    expect(heat(Number.NaN)).toBe('rgb(248, 245, 239)')
  })
})
