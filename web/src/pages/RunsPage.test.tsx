import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RunListItem } from '../api/types'
import { groupByScenarioSet } from '../lib/runGroups'
import { RUNS_PAGE, RunsPage } from './RunsPage'

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
    created_by: null,
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

  /** Answers /api/funds with `funds` and /api/runs with `pages` in turn (or by cursor). */
  function serve(funds: string[], runs: (url: URL) => RunListItem[]) {
    const fetchMock = vi.fn(async (input: string) => {
      const url = new URL(input, 'http://localhost')
      const body = url.pathname === '/api/funds' ? funds : runs(url)
      return new Response(JSON.stringify(body), { status: 200 })
    })
    vi.stubGlobal('fetch', fetchMock)
    return fetchMock
  }
  const runCalls = (fetchMock: ReturnType<typeof serve>) => fetchMock.mock.calls.map(([url]) => String(url)).filter((url) => url.startsWith('/api/runs'))

  it('lists runs with target, proceeds, feasibility, strategy and status', async () => {
    serve([], () => [
      item('a', null, { status: 'failed', fund_id: 'F1', target_amount: null, proceeds: null, outcome_status: null, selection_strategy: null }),
      item('b', 's1', { outcome_status: 'infeasible', proceeds: 50_000_000, selection_strategy: 'greedy' }),
      item('c', 's1'),
    ])
    render(<RunsPage />)
    const table = await screen.findByRole('table')
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Created',
      'Brief',
      'Scenario',
      'Fund',
      'Strategy',
      'Target',
      'Proceeds',
      'Feasibility',
    ])
    expect(within(table).getByText('Scenario set')).toBeTruthy()
    expect(within(table).getByRole('link', { name: 'Compare scenarios' }).getAttribute('href')).toBe('/scenario-sets/s1')
    expect(within(table).getByText('Label b · Base')).toBeTruthy()
    const row = (brief: string) => within(table).getByRole('link', { name: brief }).closest('tr')!
    const cells = (tr: HTMLElement) => within(tr).getAllByRole('cell').map((td) => td.textContent)
    expect(cells(row('Brief of b')).slice(4)).toEqual(['Reference greedy', '$100.0M', '$50.0M50% of target', 'Infeasible'])
    expect(cells(row('Brief of c')).slice(4)).toEqual(['Optimal', '$100.0M', '$98.0M98% of target', 'Feasible'])
    expect(cells(row('Brief of a')).slice(3)).toEqual(['F1', '—', '—', '—', 'Failed'])
    // No raw enum anywhere in the table.
    expect(table.textContent).not.toMatch(/[a-z]+_[a-z]+/)

    await userEvent.selectOptions(screen.getByLabelText('Show'), 'infeasible')
    expect(within(screen.getByRole('table')).queryByText('Brief of c')).toBeNull()
    expect(within(screen.getByRole('table')).getByText('Brief of b')).toBeTruthy()
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'failed')
    expect(within(screen.getByRole('table')).queryByText('Brief of b')).toBeNull()
  })

  it('says who ran each run once runs have a creator', async () => {
    serve([], () => [item('a', null, { created_by: 'alice' }), item('b', 's1', { created_by: 'bob' }), item('c', null)])
    render(<RunsPage />)
    const table = await screen.findByRole('table')
    const headers = within(table).getAllByRole('columnheader').map((th) => th.textContent)
    expect(headers).toEqual(['Created', 'Brief', 'Scenario', 'Fund', 'Run by', 'Strategy', 'Target', 'Proceeds', 'Feasibility'])
    const runBy = (brief: string) => within(within(table).getByRole('link', { name: brief }).closest('tr')!).getAllByRole('cell')[4].textContent
    expect(runBy('Brief of a')).toBe('alice')
    expect(runBy('Brief of b')).toBe('bob')
    // Runs of an open server (no key) have no creator: a dash.
    expect(runBy('Brief of c')).toBe('—')
    // The scenario set's row spans every column.
    expect(within(table).getByText('Scenario set').closest('td')!.getAttribute('colspan')).toBe('9')
  })

  it('loads more runs with the last run id as the cursor until a short page', async () => {
    const first = Array.from({ length: RUNS_PAGE }, (_, i) => item(`r${i}`, null))
    const second = [item('last-1', null), item('last-2', null)]
    const fetchMock = serve([], (url) => (url.searchParams.get('before') === `r${RUNS_PAGE - 1}` ? second : first))
    render(<RunsPage />)
    await screen.findByRole('table')
    expect(screen.getByText(`${RUNS_PAGE} runs loaded`)).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }))
    expect(await screen.findByText('Brief of last-2')).toBeTruthy()
    expect(runCalls(fetchMock)).toEqual([`/api/runs?limit=${RUNS_PAGE}`, `/api/runs?limit=${RUNS_PAGE}&before=r${RUNS_PAGE - 1}`])
    expect(screen.getByText(`${RUNS_PAGE + 2} runs loaded · that is all`)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull()
  })

  it('filters by a fund picked from the list, or by the start of a fund id', async () => {
    const fetchMock = serve(['ACME-1', 'ACME-2', 'ZED'], (url) => [item('x', null, { fund_id: url.searchParams.get('fund_id') ?? url.searchParams.get('fund_prefix') })])
    render(<RunsPage />)
    await screen.findByRole('table')
    const input = screen.getByLabelText('Fund')
    await waitFor(() => expect(document.getElementById(input.getAttribute('list')!)!.querySelectorAll('option')).toHaveLength(3))
    expect(screen.getByText('Pick one of 3 funds, or type the start of an id to see every fund that begins with it.')).toBeTruthy()
    // Picking a whole id from the list applies it at once, as an exact fund.
    fireEvent.change(input, { target: { value: 'ZED' } })
    await waitFor(() => expect(runCalls(fetchMock).at(-1)).toBe(`/api/runs?fund_id=ZED&limit=${RUNS_PAGE}`))
    expect(screen.getByText(/Fund ZED/)).toBeTruthy()
    // Typing the start of an id applies it as a prefix.
    await userEvent.clear(input)
    await userEvent.type(input, 'ACME')
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }))
    await waitFor(() => expect(runCalls(fetchMock).at(-1)).toBe(`/api/runs?fund_prefix=ACME&limit=${RUNS_PAGE}`))
    expect(screen.getByText(/Funds starting with “ACME”/)).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Show all funds' }))
    await waitFor(() => expect(runCalls(fetchMock).at(-1)).toBe(`/api/runs?limit=${RUNS_PAGE}`))
  })
})
