import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ScenarioSetSummary } from '../api/types'
import { moneyCompact } from '../lib/format'
import { parseCsv } from '../lib/csv'
import { ADVICE_RUN, SCENARIO_SET } from '../test/fixtures'
import { ScenarioComparison } from './ScenarioSetPage'
import { SCENARIO_SETS_PAGE, ScenarioSetsPage } from './ScenarioSetsPage'

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

const cardsOf = () => screen.getAllByRole('article').filter((a) => a.getAttribute('aria-label')?.startsWith('Scenario '))

describe('scenario comparison', () => {
  it('shows one card per scenario with its numbers and a link to its run', () => {
    render(<ScenarioComparison set={SCENARIO_SET} />)
    const cards = screen.getAllByRole('article').filter((a) => a.getAttribute('aria-label')?.startsWith('Scenario '))
    expect(cards.map((c) => within(c).getByRole('heading').textContent)).toEqual(SCENARIO_SET.runs.map((r) => r.scenario_label))
    const base = cards[0]
    expect(within(base).getByText('Base')).toBeTruthy()
    expect(within(base).getByText('The brief as written: raise $250M under its own leverage and coverage limits.')).toBeTruthy()
    expect(within(base).getByText('Target').nextSibling?.textContent).toBe('$250.0M')
    expect(within(base).getByRole('link', { name: 'View run →' }).getAttribute('href')).toBe(`/runs/${SCENARIO_SET.runs[0].run_id}`)
  })

  it('says who ran each scenario, and nothing when nobody is named', () => {
    const runs = SCENARIO_SET.runs.map((run, i) => ({ ...run, created_by: i === 0 ? 'alice' : null }))
    render(<ScenarioComparison set={{ ...SCENARIO_SET, runs }} />)
    const cards = screen.getAllByRole('article').filter((a) => a.classList.contains('card'))
    expect(within(cards[0]).getByText('Run by alice')).toBeTruthy()
    expect(within(cards[1]).queryByText(/Run by/)).toBeNull()
  })

  it('shows lease-adjusted leverage after and after-tax proceeds from the credit analysis', () => {
    render(<ScenarioComparison set={SCENARIO_SET} />)
    const cards = screen.getAllByRole('article').filter((a) => a.getAttribute('aria-label')?.startsWith('Scenario '))
    SCENARIO_SET.runs.forEach((run, i) => {
      const credit = run.response!.credit_analysis!
      const leaseAdjusted = credit.metrics.find((m) => m.name === 'lease_adjusted_leverage')!.after!
      expect(within(cards[i]).getByText('Lease-adjusted leverage after').closest('div')!.querySelector('dd')!.textContent).toBe(`${leaseAdjusted.toFixed(2)}x`)
      const afterTax = credit.transaction.gross_proceeds - credit.transaction.tax
      expect(within(cards[i]).getByText('After-tax proceeds').closest('div')!.querySelector('dd')!.textContent).toBe(moneyCompact(afterTax))
    })
    // The base scenario: $308.1M gross less $39.9M of tax on the gain.
    expect(within(cards[0]).getByText('After-tax proceeds').closest('div')!.querySelector('dd')!.textContent).toBe('$268.2M')
  })

  it('shows a dash for runs stored before the credit analysis existed', () => {
    const run = SCENARIO_SET.runs[0]
    const old = { ...run, response: { ...run.response!, credit_analysis: null, insights: null } }
    render(<ScenarioComparison set={{ ...SCENARIO_SET, runs: [old] }} />)
    const card = screen.getByRole('article', { name: `Scenario ${run.scenario_label}` })
    expect(within(card).getByText('Lease-adjusted leverage after').closest('div')!.querySelector('dd')!.textContent).toBe('—')
    expect(within(card).getByText('After-tax proceeds').closest('div')!.querySelector('dd')!.textContent).toBe('—')
  })

  it('charts proceeds vs target and leverage and coverage across scenarios', () => {
    render(<ScenarioComparison set={SCENARIO_SET} />)
    expect(screen.getByRole('img', { name: 'Proceeds versus target by scenario' })).toBeTruthy()
    expect(screen.getByRole('img', { name: 'Net leverage after the program by scenario' })).toBeTruthy()
    expect(screen.getByRole('img', { name: 'Fixed-charge coverage after the program by scenario' })).toBeTruthy()
  })

  it('says the strategy of each scenario and leads an infeasible one with its advice', () => {
    const infeasible = { ...ADVICE_RUN, scenario_set_id: SCENARIO_SET.scenario_set.id, scenario_kind: 'aggressive' as const, scenario_label: 'Aggressive', scenario_rationale: 'Push the target.' }
    render(<ScenarioComparison set={{ ...SCENARIO_SET, runs: [SCENARIO_SET.runs[0], infeasible] }} />)
    const [, card] = cardsOf()
    expect(within(card).getByText('Reference greedy')).toBeTruthy()
    const advice = within(card).getByRole('list', { name: 'Why it falls short and what would work' })
    const items = within(advice).getAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(items[0].textContent).toContain('Net Leverage Breached Before Any Sale')
    // The advice comes before the figures.
    expect(advice.compareDocumentPosition(within(card).getByText('Target')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(card.textContent).not.toMatch(/\b[a-z]+_[a-z_]+\b/)
  })

  it('shows the notes of the set', () => {
    const notes = ['Dropped a variant that repeated the base case’s selection.']
    render(<ScenarioComparison set={{ ...SCENARIO_SET, scenario_set: { ...SCENARIO_SET.scenario_set, notes } }} />)
    expect(screen.getByText(notes[0])).toBeTruthy()
  })

  it('exports the set as CSV (whole dollars, ratios to 4 dp) and as JSON', async () => {
    const saved: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob)
      return 'blob:test'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    render(<ScenarioComparison set={SCENARIO_SET} />)
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await userEvent.click(screen.getByRole('button', { name: 'Export JSON' }))
    const [header, ...rows] = parseCsv(await saved[0].text())
    expect(header.slice(0, 8)).toEqual(['scenario', 'kind', 'run_status', 'outcome', 'selection_strategy', 'target', 'revised_target', 'proceeds'])
    expect(rows).toHaveLength(SCENARIO_SET.runs.length)
    const column = (name: string) => rows.map((row) => row[header.indexOf(name)])
    expect(column('scenario')).toEqual(SCENARIO_SET.runs.map((r) => r.scenario_label))
    expect(column('proceeds')).toEqual(SCENARIO_SET.runs.map((r) => String(Math.round(r.response!.outcome.proceeds))))
    expect(column('net_leverage_after')).toEqual(SCENARIO_SET.runs.map((r) => String(Number(r.response!.outcome.leverage_after!.toFixed(4)))))
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^-?\d+\.\d{5,}$/)
    expect(JSON.parse(await saved[1].text())).toEqual(SCENARIO_SET)
  })
})

describe('scenario sets list', () => {
  const summary = (id: string): ScenarioSetSummary => ({ id, brief: `Brief ${id}`, created_at: '2025-12-12T10:00:00+00:00', run_ids: ['a', 'b'], notes: [] })

  it('pages with the last set id as the cursor', async () => {
    const first = Array.from({ length: SCENARIO_SETS_PAGE }, (_, i) => summary(`s${i}`))
    const fetchMock = vi.fn(async (url: string) => new Response(JSON.stringify(url.includes('before=') ? [summary('older')] : first), { status: 200 }))
    vi.stubGlobal('fetch', fetchMock)
    render(<ScenarioSetsPage />)
    await screen.findByRole('table')
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }))
    expect(await screen.findByRole('link', { name: 'Brief older' })).toBeTruthy()
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([`/api/scenario_sets?limit=${SCENARIO_SETS_PAGE}`, `/api/scenario_sets?limit=${SCENARIO_SETS_PAGE}&before=s${SCENARIO_SETS_PAGE - 1}`])
    expect(screen.getByText(`${SCENARIO_SETS_PAGE + 1} scenario sets loaded · that is all`)).toBeTruthy()
  })
})
