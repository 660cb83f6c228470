import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../App'
import { ADVICE_RUN, COMPLETED_RUN, CREDIT_RUN, PLAN_PREVIEW, SCENARIO_SET } from '../test/fixtures'

function respond(status: number, body: unknown) {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

/** The calls of the page, without the app's `GET /api/me`. */
function pageCalls(fetchMock: { mock: { calls: unknown[][] } }) {
  return fetchMock.mock.calls.filter(([url]) => url !== '/api/me') as unknown as [string, RequestInit][]
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
    const [, init] = pageCalls(fetchMock)[0]
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
    const [, init] = pageCalls(fetchMock)[0]
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
    const [url, init] = pageCalls(fetchMock)[0]
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
    const [url, init] = pageCalls(fetchMock)[0]
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

describe('spec preview', () => {
  const WARNING = 'The brief mentions "flood zones": the planner cannot read it; check the filters.'

  /** /api/plan answers the recorded preview (with a warning), POST /api/runs a completed run. */
  function serve() {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/plan') return new Response(JSON.stringify({ ...PLAN_PREVIEW, warnings: [WARNING] }), { status: 200 })
      if (init?.method === 'POST') return new Response(JSON.stringify({ run_id: COMPLETED_RUN.run_id, status: 'completed', response: COMPLETED_RUN.response }), { status: 201 })
      return new Response(JSON.stringify(COMPLETED_RUN), { status: 200 })
    })
    vi.stubGlobal('fetch', fetchMock)
    return fetchMock
  }
  const body = (fetchMock: ReturnType<typeof serve>, path: string) => {
    const call = fetchMock.mock.calls.find(([url]) => url.startsWith(path)) as unknown as [string, RequestInit]
    return JSON.parse(call[1].body as string)
  }
  const specRegion = () => screen.getByRole('region', { name: 'Spec to run' })
  /** The field of the spec labelled `label`: its box, source badge and input. */
  const field = (label: string) => {
    const box = within(specRegion())
      .getAllByText(label, { selector: 'label, .label' })
      .map((el) => el.closest('.spec-field') as HTMLElement)[0]
    return { box, badge: box.querySelector('.badge-source')!, text: box.textContent! }
  }

  it('defaults to the optimal strategy, greedy one click away', async () => {
    render(<App />)
    expect((screen.getByLabelText('Optimal') as HTMLInputElement).checked).toBe(true)
    expect(screen.getByText(/Searches for the best selection/)).toBeTruthy()
    await userEvent.click(screen.getByLabelText('Reference greedy'))
    expect(screen.getByText(/The reference walk/)).toBeTruthy()
  })

  it('shows the planned spec with where each field came from, and the planner’s warnings', async () => {
    const fetchMock = serve()
    render(<App />)
    await userEvent.click(screen.getByRole('button', { name: 'Preview spec' }))
    await screen.findByRole('region', { name: 'Spec to run' })
    expect(body(fetchMock, '/api/plan')).toMatchObject({ selector_spec: null, selection_strategy: 'optimal' })
    expect(document.activeElement?.textContent).toBe('Spec to run')

    const target = field('Target')
    expect(target.badge.textContent).toBe('Brief')
    expect(target.badge.getAttribute('title')).toContain('Read from “$200 million”')
    expect(target.text).toContain('= $200.0M')
    expect((within(target.box).getByRole('textbox') as HTMLInputElement).value).toBe('200,000,000')
    expect(field('Maximum net leverage').badge.textContent).toBe('Default')
    expect(field('Maximum lease-adjusted leverage').badge.textContent).toBe('Brief')
    expect(field('Maximum assets sold').text).toContain('Read from “no more than 8 assets”')
    expect(field('Minimum interest coverage').badge.textContent).toBe('Not set')
    expect(field('Objective').text).toContain('Balanced')
    // Filters: the types ticked, the market as a chip.
    const types = field('Only these asset types').box
    expect((within(types).getByLabelText('Store') as HTMLInputElement).checked).toBe(true)
    expect((within(types).getByLabelText('Distribution center') as HTMLInputElement).checked).toBe(true)
    expect((within(types).getByLabelText('Office') as HTMLInputElement).checked).toBe(false)
    expect(within(field('Excluded markets').box).getByText('Dallas, TX')).toBeTruthy()
    // The warning is in plain view, and the legend counts the sources.
    expect(within(specRegion()).getByRole('status').textContent).toContain(WARNING)
    expect(within(specRegion()).getByRole('list', { name: 'Where the fields come from' }).textContent).toMatch(/Brief\s*5.*Default\s*8.*Override\s*0/)
    // No wire names on the panel.
    expect(specRegion().textContent).not.toMatch(/\b[a-z]+_[a-z_]+\b/)
  })

  it('marks an edited field as an override and runs exactly the edited spec', async () => {
    const fetchMock = serve()
    render(<App />)
    await userEvent.click(screen.getByText('Advanced: overrides and fund'))
    await userEvent.type(screen.getByLabelText('Fund ID'), 'F9')
    await userEvent.type(screen.getByLabelText('Target ($)'), '200M')
    await userEvent.click(screen.getByRole('button', { name: 'Preview spec' }))
    await screen.findByRole('region', { name: 'Spec to run' })
    expect(body(fetchMock, '/api/plan').target_amount_override).toBe(200_000_000)

    const leverage = within(field('Maximum net leverage').box).getByRole('textbox')
    await userEvent.clear(leverage)
    await userEvent.type(leverage, '3.5')
    expect(field('Maximum net leverage').badge.textContent).toBe('Override')
    expect(field('Maximum net leverage').text).toContain('Edited here; planned 4.00x by default')
    await userEvent.type(within(field('Maximum covenant leverage').box).getByRole('textbox'), '4.25')
    await userEvent.click(within(field('Only these asset types').box).getByLabelText('Office'))
    // Assets are chosen from the portfolio by name.
    await userEvent.type(within(specRegion()).getByLabelText('Add to Excluded assets'), 'Denver Store')
    const option = within(field('Excluded assets').box).getAllByRole('button', { name: /^Add Denver Store/ })[0]
    const picked = option.textContent!.replace(/ · .*$/, '')
    await userEvent.click(option)
    expect(within(field('Excluded assets').box).getByText(picked)).toBeTruthy()
    expect(field('Excluded assets').badge.textContent).toBe('Override')
    await userEvent.selectOptions(within(field('Objective').box).getByRole('combobox'), 'Maximize proceeds')
    expect(within(specRegion()).getByRole('list', { name: 'Where the fields come from' }).textContent).toMatch(/Override\s*5/)
    expect(within(specRegion()).getByText(/5 fields edited/)).toBeTruthy()

    await userEvent.click(within(specRegion()).getByRole('button', { name: 'Run this spec' }))
    const [url] = fetchMock.mock.calls.find(([u, init]) => u.startsWith('/api/runs') && init?.method === 'POST') as unknown as [string]
    expect(url).toBe('/api/runs?fund_id=F9')
    const sent = body(fetchMock, '/api/runs')
    const excludedId = /\((P\d+)\)$/.exec(picked)![1]
    expect(sent.selector_spec).toMatchObject({
      objective: 'maximize_proceeds',
      target_amount: 200_000_000,
      hard_constraints: { max_net_leverage: 3.5, max_covenant_leverage: 4.25, max_lease_adjusted_leverage: 5, max_assets_sold: 8 },
      asset_filters: { include_asset_types: ['store', 'distribution_center', 'office'], exclude_markets: ['Dallas, TX'], exclude_asset_ids: [excludedId] },
    })
    // The target override is already in the spec: it is not sent again to overwrite an edit.
    expect(sent).toMatchObject({ target_amount_override: null, max_leverage_override: null, selection_strategy: 'optimal' })
    expect(window.location.pathname).toBe(`/runs/${COMPLETED_RUN.run_id}`)
  })

  it('blocks running a spec with a field out of range, naming it', async () => {
    serve()
    render(<App />)
    await userEvent.click(screen.getByRole('button', { name: 'Preview spec' }))
    await screen.findByRole('region', { name: 'Spec to run' })
    const leverage = within(field('Maximum net leverage').box).getByRole('textbox')
    await userEvent.clear(leverage)
    await userEvent.type(leverage, '12')
    expect(field('Maximum net leverage').text).toContain('Maximum net leverage must be between 0 and 10 (exclusive).')
    expect(within(specRegion()).getByRole('button', { name: 'Run this spec' })).toHaveProperty('disabled', true)
    expect(within(specRegion()).getByRole('alert').textContent).toContain('Maximum net leverage must be between 0 and 10 (exclusive).')
  })

  it('says when the brief changed since the preview, and discards it', async () => {
    serve()
    render(<App />)
    await userEvent.click(screen.getByRole('button', { name: 'Preview spec' }))
    await screen.findByRole('region', { name: 'Spec to run' })
    expect(screen.queryByText(/changed since this preview/)).toBeNull()
    await userEvent.type(screen.getByLabelText('What should the program raise, and under which limits?'), ' Nothing in Texas.')
    expect(screen.getByText(/changed since this preview/)).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Discard the preview' }))
    expect(screen.queryByRole('region', { name: 'Spec to run' })).toBeNull()
  })

  it('keeps the form and the preview across a reload of the tab', async () => {
    serve()
    const { unmount } = render(<App />)
    await userEvent.clear(screen.getByLabelText('What should the program raise, and under which limits?'))
    await userEvent.type(screen.getByLabelText('What should the program raise, and under which limits?'), 'Raise $120M.')
    await userEvent.click(screen.getByLabelText('Reference greedy'))
    await userEvent.click(screen.getByRole('button', { name: 'Preview spec' }))
    await screen.findByRole('region', { name: 'Spec to run' })
    await userEvent.type(within(field('Maximum covenant leverage').box).getByRole('textbox'), '4')
    unmount()
    render(<App />)
    expect((screen.getByLabelText('What should the program raise, and under which limits?') as HTMLTextAreaElement).value).toBe('Raise $120M.')
    expect((screen.getByLabelText('Reference greedy') as HTMLInputElement).checked).toBe(true)
    expect(field('Maximum covenant leverage').badge.textContent).toBe('Override')
  })

  it('opens a stored run in the planner: brief, portfolio, company, strategy and fund', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(ADVICE_RUN), { status: 200 })))
    window.history.replaceState(null, '', `/runs/${ADVICE_RUN.run_id}`)
    render(<App />)
    await userEvent.click(await screen.findByRole('button', { name: 'Open in planner' }))
    expect(window.location.pathname).toBe('/')
    expect((screen.getByLabelText('What should the program raise, and under which limits?') as HTMLTextAreaElement).value).toBe(ADVICE_RUN.program_description)
    expect((screen.getByLabelText('Reference greedy') as HTMLInputElement).checked).toBe(true)
    expect((screen.getByLabelText('Fund ID') as HTMLInputElement).value).toBe('FUND-A')
    expect((screen.getByLabelText('Net debt ($)') as HTMLInputElement).value).toBe('2,400,000,000')
    expect(within(portfolio()).getByText(`The portfolio of run ${ADVICE_RUN.run_id.slice(0, 8)}, opened from its run page.`)).toBeTruthy()
    expect(within(portfolio()).getAllByRole('row')).toHaveLength(ADVICE_RUN.request!.assets.length + 1)
    expect(screen.queryByRole('region', { name: 'Spec to run' })).toBeNull()
  })

  it('opens a run of a confirmed spec with that spec under review', async () => {
    const run = { ...ADVICE_RUN, request: { ...ADVICE_RUN.request!, selector_spec: PLAN_PREVIEW.selector_spec } }
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(run), { status: 200 })))
    window.history.replaceState(null, '', `/runs/${run.run_id}`)
    render(<App />)
    await userEvent.click(await screen.findByRole('button', { name: 'Open in planner' }))
    expect((within(field('Target').box).getByRole('textbox') as HTMLInputElement).value).toBe('200,000,000')
    expect(screen.queryByText(/changed since this preview/)).toBeNull()
  })
})
