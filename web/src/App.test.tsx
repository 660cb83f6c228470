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

  it('offers a skip link to the main content', () => {
    render(<App />)
    const skip = screen.getByRole('link', { name: 'Skip to main content' })
    expect(skip.getAttribute('href')).toBe('#main')
    expect(document.getElementById('main')?.tagName).toBe('MAIN')
    // The first thing a keyboard reaches.
    expect(document.body.querySelector('a')).toBe(skip)
  })

  it('moves the focus to the new page’s heading after a navigation', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('[]', { status: 200 })))
    render(<App />)
    // Not on the first load: the page keeps the browser's own focus.
    expect(document.activeElement).toBe(document.body)
    await userEvent.click(within(screen.getByRole('navigation', { name: 'Sections' })).getByRole('link', { name: 'Scenario sets' }))
    const heading = await screen.findByRole('heading', { level: 1, name: 'Scenario sets' })
    expect(document.activeElement).toBe(heading)
    expect(document.title).toBe('Scenario sets — SLB Planner')
  })
})
