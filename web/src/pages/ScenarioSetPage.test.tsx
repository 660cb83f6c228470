import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { moneyCompact } from '../lib/format'
import { SCENARIO_SET } from '../test/fixtures'
import { ScenarioComparison } from './ScenarioSetPage'

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
})
