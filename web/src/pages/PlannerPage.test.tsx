import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../App'
import { COMPLETED_RUN, CREDIT_RUN, SCENARIO_SET } from '../test/fixtures'

function respond(status: number, body: unknown) {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

beforeEach(() => window.history.replaceState(null, '', '/'))
afterEach(() => vi.unstubAllGlobals())

const portfolio = () => screen.getByRole('region', { name: 'Portfolio' })

describe('planner', () => {
  it('starts on the demo portfolio with a brief and both run buttons', () => {
    render(<App />)
    expect(screen.getByRole('heading', { level: 1, name: 'Plan a sale-leaseback program' })).toBeTruthy()
    expect(within(portfolio()).getAllByRole('row')).toHaveLength(49)
    expect(screen.getByRole('button', { name: 'Run program' })).toHaveProperty('disabled', false)
    expect(screen.getByRole('button', { name: 'Run scenario analysis (3)' })).toHaveProperty('disabled', false)
  })

  it('filters the portfolio table', async () => {
    render(<App />)
    await userEvent.type(within(portfolio()).getByLabelText('Filter assets'), 'Denver')
    const rows = within(portfolio()).getAllByRole('row').slice(1)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) expect(row.textContent).toContain('Denver')
  })

  it('loads an uploaded CSV', async () => {
    render(<App />)
    const csv = 'asset_id,asset_type,market,noi,book_value,criticality,leaseability_score\nX1,store,Reno,1000000,9000000,0.2,0.8\nX2,office,Boise,2000000,19000000,0.4,0.6\n'
    await userEvent.upload(within(portfolio()).getByLabelText('Upload a portfolio (CSV or JSON)'), new File([csv], 'mine.csv', { type: 'text/csv' }))
    expect(await within(portfolio()).findByText('mine.csv')).toBeTruthy()
    expect(within(portfolio()).getAllByRole('row')).toHaveLength(3)
  })

  it('shows the rows and fields of a bad upload and blocks running', async () => {
    render(<App />)
    const csv = 'asset_id,asset_type,market,noi,book_value,criticality,leaseability_score\nX1,store,Reno,-1,9000000,0.2,0.8\n'
    await userEvent.upload(within(portfolio()).getByLabelText('Upload a portfolio (CSV or JSON)'), new File([csv], 'bad.csv', { type: 'text/csv' }))
    const alert = await within(portfolio()).findByRole('alert')
    expect(alert.textContent).toContain('Row 1 (X1): NOI must be greater than 0.')
    expect(screen.getByRole('button', { name: 'Run program' })).toHaveProperty('disabled', true)
    await userEvent.click(screen.getByRole('button', { name: 'Use the demo portfolio' }))
    expect(screen.getByRole('button', { name: 'Run program' })).toHaveProperty('disabled', false)
  })

  it('validates overrides as they are typed', async () => {
    render(<App />)
    await userEvent.click(screen.getByText('Advanced: overrides and fund'))
    await userEvent.type(screen.getByLabelText('Maximum net leverage (x)'), '12')
    const input = screen.getByLabelText('Maximum net leverage (x)')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Maximum net leverage must be between 0 and 10 (exclusive).',
    )
    expect(screen.getByRole('button', { name: 'Run program' })).toHaveProperty('disabled', true)
  })

  it('validates the assumptions as they are typed, naming the field', async () => {
    render(<App />)
    const panel = screen.getByRole('region', { name: 'Assumptions' })
    await userEvent.click(within(panel).getByText('Assumptions'))
    expect(within(panel).getByLabelText('Tax rate').getAttribute('placeholder')).toBe('25%')
    expect(within(panel).getByLabelText('Lease multiple (× rent)').getAttribute('placeholder')).toBe('8.0x')
    await userEvent.type(within(panel).getByLabelText('Tax rate'), '75%')
    const input = within(panel).getByLabelText('Tax rate')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe('Tax rate must be between 0% and 60%.')
    await userEvent.type(within(panel).getByLabelText('Lease term (years)'), '12.5')
    expect(within(panel).getByText('Lease term must be a whole number of years, 1 to 50.')).toBeTruthy()
    expect(within(panel).getByText('Needs attention')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Run program' })).toHaveProperty('disabled', true)
    const blockers = screen.getByRole('alert')
    expect(blockers.textContent).toContain('Tax rate must be between 0% and 60%.')
    expect(blockers.textContent).toContain('Lease term must be a whole number of years, 1 to 50.')
    await userEvent.click(within(panel).getByRole('button', { name: 'Reset to defaults' }))
    expect(screen.getByRole('button', { name: 'Run program' })).toHaveProperty('disabled', false)
    expect(within(panel).getByText('Server defaults')).toBeTruthy()
  })

  it('edits cap-rate overrides as a table of rows', async () => {
    render(<App />)
    const panel = screen.getByRole('region', { name: 'Assumptions' })
    await userEvent.click(within(panel).getByRole('button', { name: 'Add a cap-rate override' }))
    await userEvent.click(within(panel).getByRole('button', { name: 'Add a cap-rate override' }))
    expect(within(panel).getAllByRole('row')).toHaveLength(3)
    // New rows take the next free cell of the curve.
    expect((within(panel).getByLabelText('Market tier of override 2') as HTMLSelectElement).value).toBe('2')
    await userEvent.type(within(panel).getByLabelText('Cap rate of override 1'), '55%')
    expect(within(panel).getByText('Cap rate of override 1 must be between 0% and 50% (exclusive).')).toBeTruthy()
    await userEvent.selectOptions(within(panel).getByLabelText('Market tier of override 2'), '1')
    expect(within(panel).getByText('Cap-rate override 2 repeats override 1 (Store, tier 1).', { exact: false })).toBeTruthy()
    await userEvent.click(within(panel).getByRole('button', { name: 'Remove override 1' }))
    expect(within(panel).getAllByRole('row')).toHaveLength(2)
    expect(within(panel).getByText('Cap rate of override 1 is required.')).toBeTruthy()
  })

  it('sends the assumptions with the program, and keeps them after visiting the result', async () => {
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST'
        ? new Response(JSON.stringify({ run_id: CREDIT_RUN.run_id, status: 'completed', response: CREDIT_RUN.response }), { status: 201 })
        : new Response(JSON.stringify(CREDIT_RUN), { status: 200 }),
    )
    vi.stubGlobal('fetch', fetchMock)
    render(<App />)
    const panel = screen.getByRole('region', { name: 'Assumptions' })
    await userEvent.type(within(panel).getByLabelText('Tax rate'), '21%')
    await userEvent.type(within(panel).getByLabelText('Lease term (years)'), '20')
    await userEvent.type(within(panel).getByLabelText('Cap-rate shift (bps)'), '25')
    await userEvent.click(within(panel).getByRole('button', { name: 'Add a cap-rate override' }))
    await userEvent.selectOptions(within(panel).getByLabelText('Asset type of override 1'), 'distribution_center')
    await userEvent.type(within(panel).getByLabelText('Cap rate of override 1'), '5.25%')
    expect(within(panel).getByText('4 set')).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Run program' }))
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(JSON.parse(init.body as string).assumptions).toEqual({
      cap_rate_shift_bps: 25,
      cap_rate_overrides: [{ asset_type: 'distribution_center', market_tier: 1, cap_rate: 0.0525 }],
      transaction_haircut: null,
      rent_multiplier: null,
      cost_of_debt: null,
      tax_rate: 0.21,
      lease_term_years: 20,
      rent_escalator: null,
      lease_discount_rate: null,
      lease_multiple: null,
      residual_growth: null,
    })
    expect(await screen.findByRole('region', { name: 'Credit view' })).toBeTruthy()
    await userEvent.click(within(screen.getByRole('navigation', { name: 'Sections' })).getByRole('link', { name: 'Planner' }))
    const again = screen.getByRole('region', { name: 'Assumptions' })
    expect((within(again).getByLabelText('Tax rate') as HTMLInputElement).value).toBe('21%')
    expect((within(again).getByLabelText('Cap rate of override 1') as HTMLInputElement).value).toBe('5.25%')
  })

  it('sends the assumptions as the base of a scenario analysis', async () => {
    const fetchMock = respond(201, SCENARIO_SET)
    render(<App />)
    await userEvent.type(within(screen.getByRole('region', { name: 'Assumptions' })).getByLabelText('Lease multiple (× rent)'), '6x')
    await userEvent.click(screen.getByRole('button', { name: 'Run scenario analysis (3)' }))
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(JSON.parse(init.body as string).base_request.assumptions).toMatchObject({ lease_multiple: 6, tax_rate: null })
  })

  it('sends the program and opens its result', async () => {
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST'
        ? new Response(JSON.stringify({ run_id: COMPLETED_RUN.run_id, status: 'completed', response: COMPLETED_RUN.response }), { status: 201 })
        : new Response(JSON.stringify(COMPLETED_RUN), { status: 200 }),
    )
    vi.stubGlobal('fetch', fetchMock)
    render(<App />)
    await userEvent.click(screen.getByText('Advanced: overrides and fund'))
    await userEvent.type(screen.getByLabelText('Fund ID'), 'F7')
    await userEvent.click(screen.getByLabelText('Reference greedy'))
    await userEvent.click(screen.getByRole('button', { name: 'Run program' }))
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/runs?fund_id=F7')
    expect(JSON.parse(init.body as string)).toMatchObject({ selection_strategy: 'greedy', program_type: 'slb', assumptions: null, selector_spec: null })
    expect(window.location.pathname).toBe(`/runs/${COMPLETED_RUN.run_id}`)
    expect(await screen.findByRole('heading', { level: 1, name: 'Program result' })).toBeTruthy()
  })

  it('shows a failed run with a link to it', async () => {
    respond(201, { run_id: 'run-2', status: 'failed', error: "Asset IDs must be unique; duplicates: ['P001']" })
    render(<App />)
    await userEvent.click(screen.getByRole('button', { name: 'Run program' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain("Asset IDs must be unique; duplicates: ['P001']")
    expect(within(alert).getByRole('link', { name: 'view it' }).getAttribute('href')).toBe('/runs/run-2')
  })

  it('explains a rejected request in sentences', async () => {
    respond(422, { error: 'Invalid request', detail: 'x', code: 'INVALID_REQUEST', errors: [{ field: 'assets[0].noi', message: 'must be > 0' }] })
    render(<App />)
    await userEvent.click(screen.getByRole('button', { name: 'Run program' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The server rejected the request: one field needs attention.')
    expect(alert.textContent).toContain('Row 1 (P001): NOI must be > 0.')
  })

  it('runs a scenario analysis with the chosen count and opens the comparison', async () => {
    const fetchMock = respond(201, SCENARIO_SET)
    render(<App />)
    await userEvent.selectOptions(screen.getByLabelText('Scenarios'), '5')
    await userEvent.click(screen.getByRole('button', { name: 'Run scenario analysis (5)' }))
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/scenario_sets')
    expect(JSON.parse(init.body as string)).toMatchObject({ num_scenarios: 5, fund_id: null })
    expect(window.location.pathname).toBe(`/scenario-sets/${SCENARIO_SET.scenario_set.id}`)
    expect(await screen.findByRole('heading', { level: 1, name: 'Scenario comparison' })).toBeTruthy()
  })

  it('shows progress while the scenarios run', async () => {
    vi.stubGlobal('fetch', vi.fn(() => new Promise(() => {})))
    render(<App />)
    await userEvent.click(screen.getByRole('button', { name: 'Run scenario analysis (3)' }))
    expect(screen.getByRole('progressbar', { name: 'Scenario analysis in progress' })).toBeTruthy()
    expect(screen.getByText('Running scenario analysis: 3 scenarios…')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Run program' })).toHaveProperty('disabled', true)
  })
})
