import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CreditAnalysis, RunRecord } from '../api/types'
import { ADVICE_RUN, COMPLETED_RUN, CREDIT_RUN, INFEASIBLE_RUN, SCENARIO_SET } from '../test/fixtures'
import { RunReport } from './RunPage'

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  window.history.replaceState(null, '', '/')
})

/** The headings of the report's sections, in page order. */
const sectionTitles = () =>
  screen.getAllByRole('region').map((r) => r.getAttribute('aria-labelledby') && document.getElementById(r.getAttribute('aria-labelledby')!)?.textContent)

/** Wire words such as `distribution_center` or `maximize_proceeds` in visible text. */
const RAW_ENUM = /\b[a-z]+_[a-z_]+\b/

describe('run report', () => {
  it('shows status, target vs achieved and before → after metrics', () => {
    render(<RunReport run={COMPLETED_RUN} />)
    expect(screen.getByRole('heading', { level: 1, name: 'Program result' })).toBeTruthy()
    expect(screen.getByText('Completed')).toBeTruthy()
    expect(screen.getAllByText('Feasible').length).toBeGreaterThan(0)
    const target = screen.getByRole('region', { name: 'Target vs achieved' })
    expect(within(target).getByText('$308.1M')).toBeTruthy()
    expect(within(target).getByText('123.3%')).toBeTruthy()
    const metrics = screen.getByRole('region', { name: 'Before → after' })
    const leverage = within(metrics).getByRole('row', { name: /Net leverage/ })
    expect(within(leverage).getByText('4.00x')).toBeTruthy()
    expect(within(leverage).getByText('3.49x')).toBeTruthy()
    expect(within(leverage).getByText('≤ 3.75x')).toBeTruthy()
  })

  it('says who ran it, and nothing when nobody is named', () => {
    const { unmount } = render(<RunReport run={{ ...COMPLETED_RUN, created_by: 'alice' }} />)
    expect(screen.getByText('Run by alice')).toBeTruthy()
    unmount()
    render(<RunReport run={COMPLETED_RUN} />)
    expect(screen.queryByText(/Run by/)).toBeNull()
  })

  it('checks each limit of the spec', () => {
    render(<RunReport run={COMPLETED_RUN} />)
    const checklist = screen.getByRole('region', { name: 'Constraint checklist' })
    expect(within(checklist).getByText('Every limit of the spec holds after the program.')).toBeTruthy()
    expect(within(checklist).getByText(/Net leverage ≤ 3.75x/).textContent).toContain('(met)')
    expect(within(checklist).getByText('Interest coverage ≥: not set')).toBeTruthy()
  })

  it('sorts the selected assets by a clicked column', async () => {
    render(<RunReport run={COMPLETED_RUN} />)
    const table = within(screen.getByRole('region', { name: /Selected assets/ })).getByRole('table')
    const proceedsOf = () =>
      within(table)
        .getAllByRole('row')
        .slice(1, -1)
        .map((row) => Number(within(row).getAllByRole('cell')[6].textContent!.replace(/[$,]/g, '')))
    await userEvent.click(within(table).getByRole('button', { name: /Proceeds/ }))
    const descending = proceedsOf()
    expect(descending).toEqual([...descending].sort((a, b) => b - a))
    await userEvent.click(within(table).getByRole('button', { name: /Proceeds/ }))
    expect(proceedsOf()).toEqual([...descending].reverse())
  })

  it('groups explanation nodes and shows the audit trail', () => {
    render(<RunReport run={COMPLETED_RUN} />)
    const explanation = screen.getByRole('region', { name: 'Explanation' })
    expect(within(explanation).getByText(COMPLETED_RUN.response!.explanation.summary)).toBeTruthy()
    expect(within(explanation).getByRole('heading', { name: 'Constraints' })).toBeTruthy()
    expect(within(explanation).getByRole('heading', { name: 'Drivers' })).toBeTruthy()
    const audit = screen.getByRole('region', { name: 'Audit trail' })
    expect(within(audit).getByRole('heading', { name: 'Initial run' })).toBeTruthy()
  })

  it('shows revisions, policy adjustments and the rejected revision of an infeasible run', () => {
    render(<RunReport run={INFEASIBLE_RUN} />)
    expect(screen.getAllByText('Infeasible').length).toBeGreaterThan(0)
    const audit = screen.getByRole('region', { name: 'Audit trail' })
    expect(within(audit).getByRole('heading', { name: 'Revision 1' })).toBeTruthy()
    expect(within(audit).getByRole('heading', { name: 'Rejected revision' })).toBeTruthy()
    expect(within(audit).getAllByText(/Target below floor/).length).toBeGreaterThan(0)
    const checklist = screen.getByRole('region', { name: 'Constraint checklist' })
    expect(within(checklist).getByText(/Proceeds reach the target/).textContent).toContain('(breached)')
  })

  it('exports the program as CSV and the run as JSON', async () => {
    const saved: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob)
      return 'blob:test'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    render(<RunReport run={COMPLETED_RUN} />)
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await userEvent.click(screen.getByRole('button', { name: 'Export JSON' }))
    const csv = await saved[0].text()
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toBe('order,asset_id,name,asset_type,market,market_tier,noi,book_value,criticality,leaseability_score,proceeds,slb_rent')
    expect(lines).toHaveLength(1 + COMPLETED_RUN.response!.outcome.selected_assets.length)
    // Money in whole dollars, scores to 4 decimals.
    const first = COMPLETED_RUN.response!.outcome.selected_assets[0]
    const cells = lines[1].split(',')
    expect(cells.at(-2)).toBe(String(Math.round(first.proceeds)))
    expect(cells.at(-1)).toBe(String(Math.round(first.slb_rent)))
    for (const line of lines.slice(1)) expect(line).not.toMatch(/\.\d{5,}/)
    expect(JSON.parse(await saved[1].text())).toEqual(COMPLETED_RUN)
  })

  it('shows the error of a failed run line by line', () => {
    render(<RunReport run={{ ...COMPLETED_RUN, status: 'failed', response: null, error: "Asset IDs must be unique; duplicates: ['P001']\nAsset has empty asset_id" }} />)
    const alert = screen.getByRole('alert')
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      "Asset IDs must be unique; duplicates: ['P001']",
      'Asset has empty asset_id',
    ])
  })

  describe('credit analysis', () => {
    const lens = (name: string) => within(screen.getByRole('region', { name: 'Credit view' })).getByRole('listitem', { name })
    /** "before → after" as shown (the arrow is read as "to" by screen readers). */
    const beforeAfter = (item: HTMLElement) => `${item.querySelector('.lens-before')!.textContent} → ${item.querySelector('.lens-after')!.textContent}`

    /** CREDIT_RUN with its credit analysis changed. */
    function withCredit(change: (credit: CreditAnalysis) => CreditAnalysis, run: RunRecord = CREDIT_RUN): RunRecord {
      return { ...run, response: { ...run.response!, credit_analysis: change(structuredClone(run.response!.credit_analysis!)) } }
    }

    it('shows the six lenses side by side with before → after, the limit and the definition', () => {
      render(<RunReport run={CREDIT_RUN} />)
      const credit = screen.getByRole('region', { name: 'Credit view' })
      expect(within(credit).getAllByRole('listitem').map((li) => li.querySelector('h3')!.textContent)).toEqual([
        'Net leverage',
        'Covenant leverage',
        'Lease-adjusted leverage',
        'IFRS 16 leverage',
        'Covenant interest coverage',
        'EBITDAR fixed-charge coverage',
      ])
      const reported = lens('Net leverage')
      expect(reported.textContent).toContain('Reported · reference model')
      expect(beforeAfter(reported)).toBe('4.00x → 3.59x')
      expect(reported.textContent).toContain('−0.41x better')
      expect(reported.textContent).toContain('Limit ≤ 3.75x')
      expect(reported.textContent).toContain('Met')
      expect(within(reported).getByText(/Net debt after repayment \/ EBITDA held flat/)).toBeTruthy()
      const leaseAdjusted = lens('Lease-adjusted leverage')
      expect(beforeAfter(leaseAdjusted)).toBe('4.25x → 4.12x')
      expect(leaseAdjusted.textContent).toContain('Rating agency · 8.0× rent')
      expect(leaseAdjusted.textContent).toContain('No limit')
      expect(lens('IFRS 16 leverage').textContent).toContain('+0.02x worse')
    })

    it('shows n/m for a lens that is not meaningful, whose limit is not met, and a breached limit', () => {
      const run = withCredit((credit) => {
        const covenant = credit.metrics.find((m) => m.name === 'covenant_leverage')!
        covenant.after = null
        covenant.limit = 4
        const leaseAdjusted = credit.metrics.find((m) => m.name === 'lease_adjusted_leverage')!
        leaseAdjusted.limit = 4
        credit.metrics.find((m) => m.name === 'covenant_interest_coverage')!.after = -0.4
        return credit
      })
      render(<RunReport run={run} />)
      const covenant = lens('Covenant leverage')
      expect(beforeAfter(covenant)).toBe('4.00x → n/m')
      expect(covenant.textContent).toContain('Not met (n/m)')
      expect(covenant.textContent).not.toContain('Met')
      expect(covenant.className).toContain('lens-breached')
      expect(covenant.textContent).not.toContain('better')
      expect(lens('Lease-adjusted leverage').textContent).toContain('Limit ≤ 4.00x')
      expect(lens('Lease-adjusted leverage').textContent).toContain('Breached')
      // Never a negative ratio.
      expect(beforeAfter(lens('Covenant interest coverage'))).toBe('4.00x → n/m')
      expect(screen.getByRole('region', { name: 'Credit view' }).textContent).not.toMatch(/-\d|−\d+\.\d+x →/)
    })

    it('draws the transaction waterfall and lists its figures', () => {
      render(<RunReport run={CREDIT_RUN} />)
      const transaction = screen.getByRole('region', { name: 'Transaction' })
      const chart = within(transaction).getByRole('img', { name: /^Transaction waterfall/ })
      const label = chart.getAttribute('aria-label')!
      expect(label).toContain('Gross proceeds: $245.0M')
      expect(label).toContain('Tax on the gain: −$26.6M')
      expect(label).toContain('Mortgage payoff: −$14.2M')
      expect(label).toContain('Net cash after payoff: $204.2M')
      expect(label).toContain('Debt repaid: $218.4M')
      expect(label).toContain('New lease liability: $230.5M')
      expect(label).toContain('New rent (year 1): $17.2M')
      const figures = within(transaction).getByRole('table', { name: 'Transaction figures' })
      expect(within(figures).getByRole('row', { name: /Taxable gain/ }).textContent).toContain('$126.8M')
      expect(within(figures).getByRole('row', { name: /^Tax \$/ }).textContent).toBe('Tax$26.6Mat 21%')
      expect(within(figures).getByRole('row', { name: /Debt repaid/ }).textContent).toContain('including the mortgages')
    })

    it('prices the capital raised against debt and states the model', () => {
      render(<RunReport run={CREDIT_RUN} />)
      const cost = screen.getByRole('region', { name: 'Cost of capital' })
      const figure = (name: string) => within(cost).getByText(name).nextSibling!.textContent
      expect(figure('Rent yield')).toContain('7.03%')
      expect(figure('After-tax cost of debt')).toContain('5.14%')
      expect(figure('SLB after-tax cost')).toContain('8.84%')
      expect(figure('NPV vs debt')).toContain('−$123.8M')
      expect(cost.textContent).toContain('Dearer than debt.')
      expect(cost.textContent).toContain(
        'CCIM differential, after tax: after-tax rent and the property value given up at the end of the lease; depreciation tax shields and exit taxes are not modelled; proceeds after tax repay debt at the cost of debt.',
      )
    })

    it('reads a positive NPV as cheaper than debt, and a missing SLB rate as n/m', () => {
      const run = withCredit((credit) => ({ ...credit, transaction: { ...credit.transaction, slb_cost_of_capital: null, npv_vs_debt: 5_000_000 } }))
      render(<RunReport run={run} />)
      const cost = screen.getByRole('region', { name: 'Cost of capital' })
      expect(within(cost).getByText('SLB after-tax cost').nextSibling!.textContent).toContain('n/m')
      expect(cost.textContent).toContain('Cheaper than debt.')
      expect(cost.textContent).toContain('+$5.0M')
    })

    it('lists the assumptions the run used, with the defaults it departs from', () => {
      render(<RunReport run={CREDIT_RUN} />)
      const used = screen.getByRole('region', { name: 'Assumptions used' })
      const value = (label: string) => within(used).getByText(label).nextSibling!.textContent
      expect(value('Tax rate')).toBe('21% (default 25%)')
      expect(value('Lease term (years)')).toBe('20 years (default 15 years)')
      expect(value('Cap-rate overrides')).toBe('Distribution center, tier 1: 5.25%')
      expect(value('Lease discount rate')).toBe('6.5%')
      expect(value('Lease multiple (× rent)')).toBe('8.00x')
    })

    it('shows the insights near the top, warnings first', () => {
      render(<RunReport run={CREDIT_RUN} />)
      const regions = screen.getAllByRole('region').map((r) => r.getAttribute('aria-labelledby') && document.getElementById(r.getAttribute('aria-labelledby')!)?.textContent)
      expect(regions.slice(0, 3)).toEqual(['Target vs achieved', 'Insights', 'Before → after'])
      const insights = screen.getByRole('region', { name: 'Insights' })
      const items = within(insights).getAllByRole('listitem')
      expect(items).toHaveLength(CREDIT_RUN.response!.insights!.length)
      expect(items.map((li) => li.querySelector('.badge')!.textContent)).toEqual(['Warning', 'Warning', 'Info', 'Info', 'Info'])
      expect(items[1].textContent).toContain('Cost of SLB Capital')
      // Figures in the unit of their metric: money, a rate.
      expect(items[1].textContent).toContain('after 8.8% · threshold 5.1%')
      expect(within(insights).getByText('after $26.6M')).toBeTruthy()
      expect(within(insights).getByText('2 findings to weigh before signing off.')).toBeTruthy()
    })

    it('checks a lease-adjusted leverage limit of the spec', () => {
      const run: RunRecord = {
        ...CREDIT_RUN,
        response: {
          ...CREDIT_RUN.response!,
          selector_spec: { ...CREDIT_RUN.response!.selector_spec, hard_constraints: { ...CREDIT_RUN.response!.selector_spec.hard_constraints, max_lease_adjusted_leverage: 4.5 } },
        },
      }
      render(<RunReport run={run} />)
      const checklist = screen.getByRole('region', { name: 'Constraint checklist' })
      const check = within(checklist).getByText(/Lease-adjusted leverage ≤ 4.50x/).closest('li')!
      expect(check.textContent).toContain('(met)')
      expect(check.textContent).toContain('4.12x')
    })

    it('still renders a run stored before the credit analysis existed', () => {
      render(<RunReport run={INFEASIBLE_RUN} />)
      expect(INFEASIBLE_RUN.response!.credit_analysis).toBeNull()
      expect(screen.queryByRole('region', { name: 'Insights' })).toBeNull()
      expect(screen.queryByRole('region', { name: 'Transaction' })).toBeNull()
      const credit = screen.getByRole('region', { name: 'Credit view' })
      expect(credit.textContent).toContain('This run was stored before the credit analysis existed.')
      expect(screen.getByRole('region', { name: 'Before → after' })).toBeTruthy()
    })
  })

  describe('infeasible runs and their advice', () => {
    it('leads with the insights, most severe first, naming the assets', () => {
      render(<RunReport run={ADVICE_RUN} />)
      expect(sectionTitles().slice(0, 3)).toEqual(['Insights', 'Target vs achieved', 'Before → after'])
      const insights = screen.getByRole('region', { name: 'Insights' })
      expect(insights.textContent).toContain('The program does not meet its target or limits. Why, and what would cure it:')
      const items = within(insights).getAllByRole('listitem')
      expect(items.map((li) => li.getAttribute('data-node'))).toEqual(['insight_breached_before_sale_leverage', 'insight_cure_leverage', 'insight_optimal_alternative'])
      expect(items[0].textContent).toContain('Net Leverage Breached Before Any Sale')
      // The cure's figure is the proceeds it needs, not a ratio; assets by name.
      expect(items[1].textContent).toMatch(/needs \$\d+\.\dM · limit 3\.50x · assets [A-Z][A-Za-z ]+ \d+, /)
      expect(items[2].textContent).toMatch(/raises \$\d+\.\dM/)
      // The section index follows the page.
      const index = screen.getByRole('navigation', { name: 'Sections of this page' })
      expect(within(index).getAllByRole('link')[0].textContent).toBe('Insights')
    })

    it('keeps a feasible run’s insights after the target', () => {
      render(<RunReport run={CREDIT_RUN} />)
      expect(sectionTitles().slice(0, 2)).toEqual(['Target vs achieved', 'Insights'])
    })

    it('re-runs with the optimal strategy when the optimiser finds a program', async () => {
      const fetchMock = vi.fn(async () => new Response(JSON.stringify({ run_id: 'run-optimal', status: 'completed', response: ADVICE_RUN.response }), { status: 201 }))
      vi.stubGlobal('fetch', fetchMock)
      render(<RunReport run={ADVICE_RUN} />)
      await userEvent.click(screen.getByRole('button', { name: 'Re-run with the optimal strategy' }))
      const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
      expect(url).toBe('/api/runs?fund_id=FUND-A')
      expect(JSON.parse(init.body as string)).toEqual({ ...ADVICE_RUN.request, selection_strategy: 'optimal' })
      await waitFor(() => expect(window.location.pathname).toBe('/runs/run-optimal'))
    })
  })

  describe('reproducible runs', () => {
    it('shows the inputs the run was given', () => {
      render(<RunReport run={ADVICE_RUN} />)
      const inputs = screen.getByRole('region', { name: 'Inputs' })
      const value = (label: string) => within(inputs).getByText(label).nextSibling!.textContent
      expect(value('Assets')).toBe('48')
      expect(value('Net debt')).toBe('$2,400,000,000')
      expect(value('EBITDA')).toBe('$600,000,000')
      expect(value('Selection strategy')).toBe('Reference greedy')
      expect(value('Spec')).toBe('Planned from the brief')
      expect(value('Overrides')).toBe('none')
      expect(inputs.textContent).toContain('The server defaults.')
      expect(inputs.textContent).toMatch(/\d+ stores, \d+ distribution centers, \d+ offices, \d+ mixed-use properties and \d+ other properties/)
      expect(screen.getByText('Reference greedy', { selector: '.badge-strategy' })).toBeTruthy()
    })

    it('says when a run is too old to have kept its inputs', () => {
      render(<RunReport run={COMPLETED_RUN} onOpenInPlanner={() => {}} />)
      expect(screen.getByRole('region', { name: 'Inputs' }).textContent).toContain('stored before requests were kept')
      expect(screen.queryByRole('button', { name: 'Re-run' })).toBeNull()
      expect(screen.queryByRole('button', { name: 'Open in planner' })).toBeNull()
    })

    it('re-runs the stored request as it was and opens the new run', async () => {
      const fetchMock = vi.fn(async () => new Response(JSON.stringify({ run_id: 'run-again', status: 'completed', response: ADVICE_RUN.response }), { status: 201 }))
      vi.stubGlobal('fetch', fetchMock)
      render(<RunReport run={ADVICE_RUN} />)
      await userEvent.click(screen.getByRole('button', { name: 'Re-run' }))
      const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
      expect(url).toBe('/api/runs?fund_id=FUND-A')
      expect(JSON.parse(init.body as string)).toEqual(ADVICE_RUN.request)
      await waitFor(() => expect(window.location.pathname).toBe('/runs/run-again'))
    })

    it('says why a re-run was refused', async () => {
      vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: 'Planner unavailable', detail: null, code: 'LLM_UNAVAILABLE', errors: [] }), { status: 503 })))
      render(<RunReport run={ADVICE_RUN} />)
      await userEvent.click(screen.getByRole('button', { name: 'Re-run' }))
      expect((await screen.findByRole('alert')).textContent).toContain('The planner is unavailable right now.')
    })

    it('names the run in the document title', () => {
      render(<RunReport run={ADVICE_RUN} />)
      expect(document.title).toBe('Raise $250M from stores, keep leverage … — Run — SLB Planner')
    })
  })

  describe('readable prose', () => {
    it('shows no wire enum anywhere on a report', () => {
      for (const run of [ADVICE_RUN, CREDIT_RUN, COMPLETED_RUN, INFEASIBLE_RUN, ...SCENARIO_SET.runs]) {
        const { unmount } = render(<RunReport run={run} />)
        const text = document.querySelector('article')!.textContent!
        expect(text.match(RAW_ENUM), run.run_id).toBeNull()
        unmount()
      }
    })

    it('says "distribution center", not the wire name, in the engine’s explanation', () => {
      const response = COMPLETED_RUN.response!
      const node = { ...response.explanation.nodes[0], id: 'risk_type_concentration', label: 'Asset Type Concentration', detail: '92.0% of proceeds from distribution_center assets' }
      render(<RunReport run={{ ...COMPLETED_RUN, response: { ...response, explanation: { ...response.explanation, nodes: [node] } } }} />)
      expect(screen.getByText('92.0% of proceeds from distribution center assets')).toBeTruthy()
    })
  })

  describe('leverage on a non-positive EBITDA', () => {
    function distressed(): RunRecord {
      const response = structuredClone(COMPLETED_RUN.response!)
      Object.assign(response.outcome, { leverage_before: -240, leverage_after: -48, interest_coverage_after: -0.07, fixed_charge_coverage_after: -0.05, violations: [] })
      return { ...COMPLETED_RUN, response }
    }

    it('shows n/m, never a negative ratio, and never calls its limit met', () => {
      render(<RunReport run={distressed()} />)
      const checklist = screen.getByRole('region', { name: 'Constraint checklist' })
      const leverage = within(checklist).getByText(/Net leverage ≤ 3.75x/).closest('li')!
      expect(leverage.textContent).toContain('n/m')
      expect(leverage.textContent).toContain('(not met: not meaningful)')
      expect(leverage.textContent).not.toContain('(met)')
      expect(leverage.querySelector('.check-mark')!.textContent).toBe('✗')
      expect(checklist.textContent).toContain('2 limits are not met.')
      const metrics = screen.getByRole('region', { name: 'Before → after' })
      const row = within(metrics).getByRole('row', { name: /Net leverage/ })
      expect(within(row).getAllByText('n/m')).toHaveLength(2)
      for (const region of [checklist, metrics]) expect(region.textContent).not.toMatch(/[−-]\d+\.\d+x/)
    })
  })
})
