import { describe, expect, it } from 'vitest'
import { PLAN_PREVIEW } from '../test/fixtures'
import { draftFromPreview, draftSpec, editNumber, editValue, fieldSource, provenanceNote, sourceCounts, specErrors } from './spec'

const draft = () => draftFromPreview(PLAN_PREVIEW, 'basis')
const withoutNulls = (value: unknown) => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v === null ? undefined : v)))

describe('spec preview draft', () => {
  it('starts from the preview: numbers as one would type them, nothing edited', () => {
    const d = draft()
    expect(d.text.target_amount).toBe('200,000,000')
    expect(d.text['hard_constraints.max_lease_adjusted_leverage']).toBe('5')
    expect(d.text['hard_constraints.max_assets_sold']).toBe('8')
    expect(d.text['hard_constraints.min_interest_coverage']).toBe('')
    expect(d.edited).toEqual([])
    expect(specErrors(d)).toEqual({})
    // Unedited, the spec sent is the preview's (unset limits written as null rather than left out).
    expect(withoutNulls(draftSpec(d))).toEqual(withoutNulls(PLAN_PREVIEW.selector_spec))
    expect(draftSpec(d).hard_constraints.max_covenant_leverage).toBeNull()
  })

  it('attributes each field to its source, and an edit to the user', () => {
    let d = draft()
    expect(fieldSource(d, 'target_amount')?.source).toBe('brief')
    expect(fieldSource(d, 'hard_constraints.max_net_leverage')?.source).toBe('default')
    expect(fieldSource(d, 'hard_constraints.min_interest_coverage')).toBeNull()
    d = editNumber(d, 'hard_constraints.max_net_leverage', '3.25x')
    expect(fieldSource(d, 'hard_constraints.max_net_leverage')).toMatchObject({ source: 'user_override', note: 'Edited here' })
    expect(sourceCounts(d)).toMatchObject({ user_override: 1 })
    // Back to the planned value: the field is the planner's again.
    d = editNumber(d, 'hard_constraints.max_net_leverage', '4')
    expect(fieldSource(d, 'hard_constraints.max_net_leverage')?.source).toBe('default')
    expect(d.edited).toEqual([])
  })

  it('builds the spec from the edits, lists cleared to null', () => {
    let d = draft()
    d = editNumber(d, 'target_amount', '$180M')
    d = editNumber(d, 'hard_constraints.max_covenant_leverage', '4.5')
    d = editNumber(d, 'hard_constraints.max_assets_sold', '')
    d = editValue(d, 'asset_filters.exclude_markets', [])
    d = editValue(d, 'asset_filters.exclude_asset_ids', ['P005'])
    d = editValue(d, 'objective', 'maximize_proceeds')
    const spec = draftSpec(d)
    expect(spec.target_amount).toBe(180_000_000)
    expect(spec.hard_constraints.max_covenant_leverage).toBe(4.5)
    expect(spec.hard_constraints.max_assets_sold).toBeNull()
    expect(spec.asset_filters.exclude_markets).toBeNull()
    expect(spec.asset_filters.exclude_asset_ids).toEqual(['P005'])
    expect(spec.objective).toBe('maximize_proceeds')
    expect([...d.edited].sort()).toEqual(
      ['asset_filters.exclude_asset_ids', 'asset_filters.exclude_markets', 'hard_constraints.max_assets_sold', 'hard_constraints.max_covenant_leverage', 'objective', 'target_amount'].sort(),
    )
  })

  it('checks the engine’s ranges', () => {
    let d = draft()
    d = editNumber(d, 'hard_constraints.max_net_leverage', '12')
    d = editNumber(d, 'hard_constraints.max_critical_fraction', '150%')
    d = editNumber(d, 'hard_constraints.max_assets_sold', '2.5')
    d = editNumber(d, 'max_iterations', '11')
    d = editNumber(d, 'target_amount', '')
    d = editNumber(d, 'asset_filters.max_criticality', 'lots')
    expect(specErrors(d)).toEqual({
      'hard_constraints.max_net_leverage': 'must be between 0 and 10 (exclusive)',
      'hard_constraints.max_critical_fraction': 'must be above 0% and at most 100%, such as 25%',
      'hard_constraints.max_assets_sold': 'must be a whole number',
      max_iterations: 'must be between 1 and 10',
      target_amount: 'is required',
      'asset_filters.max_criticality': 'must be a number, such as 3.5',
    })
    // An unreadable entry counts as an edit.
    expect(d.edited).toContain('asset_filters.max_criticality')
  })

  it('says what a provenance note means', () => {
    expect(provenanceNote({ field: 'target_amount', source: 'brief', note: '"$200 million"' })).toBe('Read from “$200 million”')
    expect(provenanceNote({ field: 'target_amount', source: 'user_override', note: 'target_amount_override' })).toBe('Set by your target override')
    expect(provenanceNote({ field: 'objective', source: 'default', note: 'planner default' })).toBe('Planner default')
    expect(provenanceNote({ field: 'objective', source: 'default', note: null })).toBeNull()
  })
})
