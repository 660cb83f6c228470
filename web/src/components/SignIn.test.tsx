import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../App'
import type { Identity } from '../api/types'
import { ADVICE_RUN, COMPLETED_RUN } from '../test/fixtures'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

const unauthorized = (detail: string) =>
  json(401, { error: 'Unauthorized', detail, code: 'UNAUTHORIZED', errors: [] }, { 'WWW-Authenticate': 'Bearer realm="SLB Planner"' })

const ALICE: Identity = { name: 'alice', role: 'analyst', funds: ['FUND-A', 'FUND-B'] }
const GOOD_KEY = 'slb_good'

/**
 * A server with one key, GOOD_KEY (acting as `identity`): /api/me answers who it is, or 401
 * without a key and for any other key; other GETs answer `[]`, POSTs go to `post`.
 */
function serve(identity: Identity = ALICE, post: (url: string, init: RequestInit) => Response = () => json(201, { run_id: COMPLETED_RUN.run_id, status: 'completed' })) {
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    const auth = new Headers(init.headers).get('Authorization')
    if (auth === null) return unauthorized('an API key is required: send `Authorization: Bearer <token>`')
    if (auth !== `Bearer ${GOOD_KEY}`) return unauthorized('unknown API key')
    if (url === '/api/me') return json(200, identity)
    if (init.method === 'POST') return post(url, init)
    if (url.startsWith('/api/runs/')) return json(200, { ...ADVICE_RUN, created_by: 'alice' })
    return json(200, [])
  })
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

beforeEach(() => window.history.replaceState(null, '', '/'))
afterEach(() => {
  vi.unstubAllGlobals()
  window.history.replaceState(null, '', '/')
})

const signInWith = async (key: string) => {
  await userEvent.type(await screen.findByLabelText('API key'), key)
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
}
const masthead = () => document.querySelector<HTMLElement>('.masthead')!

describe('sign-in', () => {
  it('asks for a key when the server answers 401, and signs in with one', async () => {
    const fetchMock = serve()
    render(<App />)
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in with an API key' })).toBeTruthy()
    expect(document.title).toBe('Sign in — SLB Planner')
    const field = screen.getByLabelText('API key')
    expect(field.getAttribute('type')).toBe('password')
    await signInWith(GOOD_KEY)
    expect(await screen.findByRole('heading', { level: 1, name: 'Plan a sale-leaseback program' })).toBeTruthy()
    expect(window.sessionStorage.getItem('slb.apiKey')).toBe(GOOD_KEY)
    expect(window.localStorage.getItem('slb.apiKey')).toBeNull()
    // Every call from now on carries the key.
    const last = fetchMock.mock.calls.at(-1) as unknown as [string, RequestInit]
    expect(new Headers(last[1].headers).get('Authorization')).toBe(`Bearer ${GOOD_KEY}`)
  })

  it('shows the server’s reason for a wrong key and keeps nothing', async () => {
    serve()
    render(<App />)
    await signInWith('slb_wrong')
    const error = await screen.findByRole('alert')
    expect(error.textContent).toBe('The server does not know this API key: check that it was pasted whole.')
    expect(screen.getByLabelText('API key').getAttribute('aria-invalid')).toBe('true')
    expect(window.sessionStorage.getItem('slb.apiKey')).toBeNull()
  })

  it('asks for a blank key to be pasted without calling the server', async () => {
    const fetchMock = serve()
    render(<App />)
    await screen.findByLabelText('API key')
    const calls = fetchMock.mock.calls.length
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(screen.getByRole('alert').textContent).toBe('Paste your API key first.')
    expect(fetchMock.mock.calls.length).toBe(calls)
  })

  it('shows who is signed in, with their role and funds, and signs out', async () => {
    window.sessionStorage.setItem('slb.apiKey', GOOD_KEY)
    serve()
    render(<App />)
    const who = await within(masthead()).findByRole('group', { name: 'Signed in' })
    expect(who.textContent).toContain('Signed in as alice')
    expect(who.textContent).toContain('Analyst')
    expect(who.textContent).toContain('Funds FUND-A, FUND-B')
    await userEvent.click(within(who).getByRole('button', { name: 'Sign out' }))
    expect(window.sessionStorage.getItem('slb.apiKey')).toBeNull()
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in with an API key' })).toBeTruthy()
    expect(screen.getByRole('status').textContent).toBe('You signed out.')
    expect(within(masthead()).queryByRole('group', { name: 'Signed in' })).toBeNull()
  })

  it('says "all funds" for a key of every fund', async () => {
    window.sessionStorage.setItem('slb.apiKey', GOOD_KEY)
    serve({ name: 'root', role: 'admin', funds: null })
    render(<App />)
    const who = await within(masthead()).findByRole('group', { name: 'Signed in' })
    expect(who.textContent).toBe('Signed in as rootAdminAll fundsSign out')
  })

  it('notes open mode quietly, without a sign-out', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(200, { name: null, role: 'admin', funds: null })))
    render(<App />)
    expect(await within(masthead()).findByText('Local · no sign-in')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull()
  })

  it('clears a key refused later (revoked) and asks again with the server’s message', async () => {
    window.sessionStorage.setItem('slb.apiKey', 'slb_revoked')
    vi.stubGlobal('fetch', vi.fn(async () => json(401, { error: 'Unauthorized', detail: 'this API key has been revoked', code: 'UNAUTHORIZED', errors: [] })))
    render(<App />)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toBe('This API key has been revoked: ask an admin for a new one.')
    expect(window.sessionStorage.getItem('slb.apiKey')).toBeNull()
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in with an API key' })).toBeTruthy()
  })

  it('asks for a key when any page’s call answers 401, and loads the page again after signing in', async () => {
    // /api/me passes (a proxy user, say) but the runs list is refused.
    let refuse = true
    const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
      if (url === '/api/me') return json(200, { name: 'sso-user', role: 'analyst', funds: null })
      if (refuse && !new Headers(init.headers).get('Authorization')) return unauthorized('an API key is required')
      return json(200, [])
    })
    vi.stubGlobal('fetch', fetchMock)
    window.history.replaceState(null, '', '/runs')
    render(<App />)
    await screen.findByRole('heading', { level: 1, name: 'Sign in with an API key' })
    refuse = false
    await signInWith(GOOD_KEY)
    expect(await screen.findByText(/No runs yet/)).toBeTruthy()
    const runCalls = fetchMock.mock.calls.filter(([url]) => String(url).startsWith('/api/runs'))
    expect(new Headers((runCalls.at(-1) as unknown as [string, RequestInit])[1].headers).get('Authorization')).toBe(`Bearer ${GOOD_KEY}`)
  })
})

describe('roles and funds', () => {
  it('disables a viewer’s run buttons and says why', async () => {
    window.sessionStorage.setItem('slb.apiKey', GOOD_KEY)
    serve({ name: 'vera', role: 'viewer', funds: null })
    render(<App />)
    await within(masthead()).findByText('Viewer')
    for (const name of ['Preview spec', 'Run program', 'Run scenario analysis (3)']) {
      const button = screen.getByRole('button', { name })
      expect(button).toHaveProperty('disabled', true)
      expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toBe(
        'The key “vera” is a viewer: it can read runs and scenario sets but not start them. Sign in with an analyst key to run programs.',
      )
    }
  })

  it('disables the re-runs of a run page for a viewer, who still sees who ran it', async () => {
    window.sessionStorage.setItem('slb.apiKey', GOOD_KEY)
    serve({ name: 'vera', role: 'viewer', funds: null })
    window.history.replaceState(null, '', `/runs/${ADVICE_RUN.run_id}`)
    render(<App />)
    await within(masthead()).findByText('Viewer')
    expect(await screen.findByText('Run by alice')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Re-run' })).toHaveProperty('disabled', true)
    expect(screen.getByRole('button', { name: 'Re-run with the optimal strategy' })).toHaveProperty('disabled', true)
    expect(screen.getByText(/is a viewer: it can read runs/)).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Open in planner' })).toHaveProperty('disabled', false)
  })

  it('offers a fund-scoped key only its funds, the first by default, and runs in it', async () => {
    window.sessionStorage.setItem('slb.apiKey', GOOD_KEY)
    const fetchMock = serve(ALICE)
    render(<App />)
    await within(masthead()).findByText('Funds FUND-A, FUND-B')
    await userEvent.click(screen.getByText('Advanced: overrides and fund'))
    const fund = screen.getByLabelText('Fund ID') as HTMLSelectElement
    expect(fund.tagName).toBe('SELECT')
    expect([...fund.options].map((o) => o.value)).toEqual(['FUND-A', 'FUND-B'])
    await waitFor(() => expect(fund.value).toBe('FUND-A'))
    await userEvent.selectOptions(fund, 'FUND-B')
    await userEvent.click(screen.getByRole('button', { name: 'Run program' }))
    await waitFor(() => expect(fetchMock.mock.calls.some(([url]) => url === '/api/runs?fund_id=FUND-B')).toBe(true))
  })

  it('shows a 403 on posting in words', async () => {
    window.sessionStorage.setItem('slb.apiKey', GOOD_KEY)
    serve({ name: 'fay', role: 'analyst', funds: null }, () =>
      json(403, { error: 'Forbidden', detail: 'the key "fay" may not write to fund "B" (its funds: A)', code: 'FORBIDDEN', errors: [] }),
    )
    render(<App />)
    await within(masthead()).findByText('Analyst')
    await userEvent.click(screen.getByRole('button', { name: 'Run program' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Your API key does not allow this.')
    expect(alert.textContent).toContain('The key “fay” may not write to fund B; it may write to A.')
  })
})
