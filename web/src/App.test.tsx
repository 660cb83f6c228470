import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { App } from './App'
import { ErrorBoundary } from './components/ErrorBoundary'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  window.history.replaceState(null, '', '/')
})

describe('app shell', () => {
  it('navigates between sections without reloading and marks the current one', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('[]', { status: 200 })))
    window.history.replaceState(null, '', '/')
    render(<App />)
    const nav = screen.getByRole('navigation', { name: 'Sections' })
    expect(within(nav).getByRole('link', { name: 'Planner' }).getAttribute('aria-current')).toBe('page')
    await userEvent.click(within(nav).getByRole('link', { name: 'Runs' }))
    expect(window.location.pathname).toBe('/runs')
    expect(await screen.findByText(/No runs yet/)).toBeTruthy()
    expect(within(nav).getByRole('link', { name: 'Runs' }).getAttribute('aria-current')).toBe('page')
    expect(document.title).toBe('Runs — SLB Planner')
    expect(within(nav).getByRole('link', { name: 'API docs ↗' }).getAttribute('href')).toBe('/api/docs')
  })

  it('answers unknown paths with a page that links back', () => {
    window.history.replaceState(null, '', '/nowhere/at/all')
    render(<App />)
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeTruthy()
    expect(screen.getByText('/nowhere/at/all')).toBeTruthy()
  })

  it('shows a readable message when a view fails to render', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const Broken = () => {
      throw new Error('the response had no outcome')
    }
    render(
      <ErrorBoundary>
        <Broken />
      </ErrorBoundary>,
    )
    expect(screen.getByRole('alert').textContent).toContain('the response had no outcome')
  })
})
