import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RunListItem } from '../api/types'
import { groupByScenarioSet } from '../lib/runGroups'
import { RunsPage } from './RunsPage'

function item(run_id: string, scenario_set_id: string | null, extra: Partial<RunListItem> = {}): RunListItem {
  return {
    run_id,
    fund_id: null,
    program_description: `Brief of ${run_id}`,
    status: 'completed',
    created_at: '2025-12-12T10:00:00.000000+00:00',
    scenario_set_id,
    scenario_kind: scenario_set_id ? 'base' : null,
    scenario_label: scenario_set_id ? `Label ${run_id}` : null,
    target_amount: 100_000_000,
    proceeds: 98_000_000,
    outcome_status: 'ok',
    selection_strategy: 'optimal',
    ...extra,
  }
}

afterEach(() => vi.unstubAllGlobals())

describe('runs list', () => {
  it('keeps the runs of a scenario set together, in list order', () => {
    const groups = groupByScenarioSet([item('a', null), item('b', 's1'), item('c', 's1'), item('d', null), item('e', 's2')])
    expect(groups.map((g) => [g.setId, g.runs.map((r) => r.run_id)])).toEqual([
      [null, ['a']],
      ['s1', ['b', 'c']],
      [null, ['d']],
      ['s2', ['e']],
    ])
  })

  it('lists runs with status and scenario badges and filters by fund and status', async () => {
    const fetchMock = vi.fn(async () =>
      new Response(JSON.stringify([item('a', null, { status: 'failed', fund_id: 'F1' }), item('b', 's1'), item('c', 's1')]), { status: 200 }),
    )
    vi.stubGlobal('fetch', fetchMock)
    render(<RunsPage />)
    const table = await screen.findByRole('table')
    expect(within(table).getByText('Scenario set')).toBeTruthy()
    expect(within(table).getByRole('link', { name: 'Compare scenarios' }).getAttribute('href')).toBe('/scenario-sets/s1')
    expect(within(table).getByText('Failed')).toBeTruthy()
    expect(within(table).getByText('Label b · Base')).toBeTruthy()

    await userEvent.selectOptions(screen.getByLabelText('Status'), 'failed')
    expect(within(screen.getByRole('table')).queryByText('Brief of b')).toBeNull()

    await userEvent.type(screen.getByLabelText('Fund ID'), 'F1')
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }))
    expect(fetchMock.mock.calls.at(-1)).toEqual(['/api/runs?fund_id=F1&limit=100', expect.anything()])
  })
})
