import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ProgramRequest } from '../api/types'
import { ADVICE_RUN, FRONTIER, SENSITIVITY } from '../test/fixtures'
import { AnalysesPage } from './AnalysesPage'

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  window.history.replaceState(null, '', '/')
})

type Call = { url: string; method: string; body: unknown }

/** A fake server: the run, the two analyses, and a created run; records every call. */
function serve(): Call[] {
  const calls: Call[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET'
      calls.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : null })
      const answer = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
      if (url.includes('/api/analyses/frontier')) return answer(FRONTIER)
      if (url.includes('/api/analyses/sensitivity')) return answer(SENSITIVITY)
      if (method === 'POST' && url.includes('/api/runs')) return answer({ run_id: 'run-new', status: 'completed', response: ADVICE_RUN.response }, 201)
      return answer(ADVICE_RUN)
    }),
  )
  return calls
}

describe('analyses page', () => {
  it('traces the frontier of the run’s request and opens a point as a run of exactly its assets', async () => {
    const calls = serve()
    render(<AnalysesPage runId={ADVICE_RUN.run_id} />)
    await screen.findByRole('heading', { level: 1, name: 'How much, at what cost?' })
    await userEvent.selectOptions(screen.getByLabelText('Metric'), 'new_rent')
    await userEvent.clear(screen.getByLabelText('Points'))
    await userEvent.type(screen.getByLabelText('Points'), '5')
    await userEvent.click(screen.getByRole('button', { name: 'Trace frontier' }))
    const chart = await screen.findByRole('group', { name: /^Most gross proceeds for each ceiling on new annual rent/ })
    const traced = calls.find((c) => c.url.includes('/api/analyses/frontier'))!
    expect(traced.url).toContain('fund_id=FUND-A')
    const body = traced.body as ProgramRequest & { metric: string; points: number }
    expect(body.metric).toBe('new_rent')
    expect(body.points).toBe(5)
    // The spec that ran, confirmed: the planner does not run again.
    expect(body.selector_spec).toEqual(ADVICE_RUN.response!.selector_spec)
    const points = within(chart).getAllByRole('button', { name: /^Point \d+:/ })
    expect(points).toHaveLength(FRONTIER.points.length)
    expect(within(chart).getByText('this run')).toBeTruthy()

    await userEvent.click(points[1])
    const opened = calls.find((c) => c.method === 'POST' && c.url.includes('/api/runs'))!
    const run = opened.body as ProgramRequest
    const point = FRONTIER.points[1]
    expect(run.selector_spec?.asset_filters.include_asset_ids).toEqual(point.asset_ids)
    expect(run.selector_spec?.objective).toBe('maximize_proceeds')
    expect(run.selector_spec?.target_amount).toBe(point.proceeds)
    expect(run.selection_strategy).toBe('optimal')
    expect(window.location.pathname).toBe('/runs/run-new')
  })

  it('runs a grid, marks the run’s own cell and opens a cell as a run with its values', async () => {
    const calls = serve()
    render(<AnalysesPage runId={ADVICE_RUN.run_id} />)
    await screen.findByRole('heading', { level: 1, name: 'How much, at what cost?' })
    const values = screen.getAllByLabelText('Values')
    await userEvent.clear(values[0])
    await userEvent.type(values[0], '-50, 0, 50')
    await userEvent.clear(values[1])
    await userEvent.type(values[1], '150e6, 250e6, 400e6')
    await userEvent.click(screen.getByRole('button', { name: 'Run grid' }))
    const table = await screen.findByRole('table', { name: /Rows: Cap-rate shift/ })
    const posted = calls.find((c) => c.url.includes('/api/analyses/sensitivity'))!.body as { axes: { parameter: string; values: number[] }[] }
    expect(posted.axes).toEqual([
      { parameter: 'cap_rate_shift_bps', values: [-50, 0, 50] },
      { parameter: 'target_amount', values: [150e6, 250e6, 400e6] },
    ])
    expect(table.querySelectorAll('td.heat-cell')).toHaveLength(9)
    expect(table.querySelectorAll('td.heat-cell.base')).toHaveLength(1)
    const cells = within(table).getAllByRole('button', { name: /Open as a run$/ })
    await userEvent.click(cells[6]) // +50 bps, $150M
    const run = calls.find((c) => c.method === 'POST' && c.url.includes('/api/runs'))!.body as ProgramRequest
    expect(run.assumptions?.cap_rate_shift_bps).toBe(50)
    expect(run.selector_spec?.target_amount).toBe(150e6)
    expect(run.selector_spec?.max_iterations).toBe(1)
  })

  it('refuses values that are not 2 to 9 numbers before posting', async () => {
    const calls = serve()
    render(<AnalysesPage runId={ADVICE_RUN.run_id} />)
    await screen.findByRole('heading', { level: 1, name: 'How much, at what cost?' })
    const values = screen.getAllByLabelText('Values')
    await userEvent.clear(values[0])
    await userEvent.type(values[0], '10')
    expect(screen.getByText('2 to 9 values.')).toBeTruthy()
    await userEvent.clear(values[0])
    await userEvent.type(values[0], '1, x')
    expect(screen.getByText('Numbers separated by commas.')).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Run grid' }) as HTMLButtonElement).disabled).toBe(true)
    expect(calls.some((c) => c.url.includes('/api/analyses'))).toBe(false)
  })
})
