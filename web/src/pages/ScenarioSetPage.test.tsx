import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { SCENARIO_SET } from '../test/fixtures'
import { ScenarioComparison } from './ScenarioSetPage'

describe('scenario comparison', () => {
  it('shows one card per scenario with its numbers and a link to its run', () => {
    render(<ScenarioComparison set={SCENARIO_SET} />)
    const cards = screen.getAllByRole('article').filter((a) => a.getAttribute('aria-label')?.startsWith('Scenario '))
    expect(cards.map((c) => within(c).getByRole('heading').textContent)).toEqual(SCENARIO_SET.runs.map((r) => r.scenario_label))
    const base = cards[0]
    expect(within(base).getByText('Base')).toBeTruthy()
    expect(within(base).getByText("The brief's own ask.")).toBeTruthy()
    expect(within(base).getByText('Target').nextSibling?.textContent).toBe('$250.0M')
    expect(within(base).getByRole('link', { name: 'View run →' }).getAttribute('href')).toBe(`/runs/${SCENARIO_SET.runs[0].run_id}`)
  })

  it('charts proceeds vs target and leverage and coverage across scenarios', () => {
    render(<ScenarioComparison set={SCENARIO_SET} />)
    expect(screen.getByRole('img', { name: 'Proceeds versus target by scenario' })).toBeTruthy()
    expect(screen.getByRole('img', { name: 'Net leverage after the program by scenario' })).toBeTruthy()
    expect(screen.getByRole('img', { name: 'Fixed-charge coverage after the program by scenario' })).toBeTruthy()
  })
})
