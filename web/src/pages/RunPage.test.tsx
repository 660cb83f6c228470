import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { COMPLETED_RUN, INFEASIBLE_RUN } from '../test/fixtures'
import { RunReport } from './RunPage'

afterEach(() => vi.restoreAllMocks())

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
})
