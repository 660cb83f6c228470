import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, checkKey, clearKey, createRun, getMe, listRuns, onUnauthorized, storeKey, storedKey } from './client'
import { describeError } from './errors'

const UNKNOWN_KEY = { error: 'Unauthorized', detail: 'unknown API key', code: 'UNAUTHORIZED', errors: [] }

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

const sentHeaders = (fetchMock: ReturnType<typeof respond>, call = 0) => {
  const [, init] = fetchMock.mock.calls[call] as unknown as [string, RequestInit | undefined]
  return new Headers(init?.headers)
}

afterEach(() => vi.unstubAllGlobals())

describe('API key', () => {
  it('sends no Authorization header without a key', async () => {
    const fetchMock = respond(200, [])
    await listRuns()
    expect(sentHeaders(fetchMock).has('Authorization')).toBe(false)
  })

  it('sends the stored key as a bearer token on every call, reads and writes', async () => {
    storeKey('slb_secret')
    const fetchMock = respond(201, { run_id: 'r1', status: 'completed' })
    await listRuns()
    await createRun({ program_description: 'x' } as never, null)
    expect(sentHeaders(fetchMock, 0).get('Authorization')).toBe('Bearer slb_secret')
    expect(sentHeaders(fetchMock, 1).get('Authorization')).toBe('Bearer slb_secret')
    expect(sentHeaders(fetchMock, 1).get('Content-Type')).toBe('application/json')
  })

  it('keeps the key in sessionStorage, never in localStorage; signing out clears it', () => {
    storeKey('slb_secret')
    expect(window.sessionStorage.getItem('slb.apiKey')).toBe('slb_secret')
    expect(JSON.stringify({ ...window.localStorage })).not.toContain('slb_secret')
    clearKey()
    expect(window.sessionStorage.getItem('slb.apiKey')).toBeNull()
    expect(storedKey()).toBeNull()
  })

  it('forgets a refused key and tells the app to ask for one', async () => {
    storeKey('slb_revoked')
    respond(401, { ...UNKNOWN_KEY, detail: 'this API key has been revoked' }, { 'WWW-Authenticate': 'Bearer' })
    const heard: [string, boolean][] = []
    const stop = onUnauthorized((error, rejected) => heard.push([error.code, rejected]))
    const error = await listRuns().catch((e: unknown) => e)
    stop()
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(401)
    expect(heard).toEqual([['UNAUTHORIZED', true]])
    expect(storedKey()).toBeNull()
    expect(describeError(error).lines).toEqual(['This API key has been revoked: ask an admin for a new one.'])
  })

  it('tells the app a key is needed when a call without one is refused', async () => {
    respond(401, { ...UNKNOWN_KEY, detail: 'an API key is required: send `Authorization: Bearer <token>`' })
    const heard: boolean[] = []
    const stop = onUnauthorized((_, rejected) => heard.push(rejected))
    await getMe().catch(() => {})
    stop()
    expect(heard).toEqual([false])
  })

  it('checks a key before keeping it: sends it, stores nothing and tells no one', async () => {
    const fetchMock = respond(401, UNKNOWN_KEY)
    const listener = vi.fn()
    const stop = onUnauthorized(listener)
    const error = await checkKey('slb_wrong').catch((e: unknown) => e)
    stop()
    expect(sentHeaders(fetchMock).get('Authorization')).toBe('Bearer slb_wrong')
    expect((error as ApiError).code).toBe('UNAUTHORIZED')
    expect(listener).not.toHaveBeenCalled()
    expect(storedKey()).toBeNull()
  })
})

describe('refusals in words', () => {
  it('a viewer posting a run', async () => {
    respond(403, { error: 'Forbidden', detail: 'the key "vera" has the role viewer; POST /api/runs needs analyst', code: 'FORBIDDEN', errors: [] })
    const message = describeError(await createRun({} as never, null).catch((e: unknown) => e))
    expect(message).toEqual({
      title: 'Your API key does not allow this.',
      lines: [
        'The key “vera” is a viewer: it may read runs and scenario sets, but it needs an analyst role to run a program.',
        'Ask an admin for an analyst key, then sign in with it.',
      ],
    })
  })

  it('a fund-scoped key writing another fund, or no fund', async () => {
    respond(403, { error: 'Forbidden', detail: 'the key "fay" may not write to fund "B" (its funds: A, C)', code: 'FORBIDDEN', errors: [{ field: 'fund_id', message: 'x' }] })
    expect(describeError(await createRun({} as never, 'B').catch((e: unknown) => e)).lines).toEqual([
      'The key “fay” may not write to fund B; it may write to A, C.',
      'Pick one of its funds as the Fund ID.',
    ])
    respond(403, { error: 'Forbidden', detail: 'the key "fay" is limited to funds A, C: give fund_id, one of them', code: 'FORBIDDEN', errors: [] })
    expect(describeError(await createRun({} as never, null).catch((e: unknown) => e)).lines).toEqual(['The key “fay” may only write to A, C: pick one of them as the Fund ID.'])
  })

  it('a busy server, with the wait from Retry-After', async () => {
    respond(429, { error: 'Too many requests', detail: 'x', code: 'RATE_LIMITED', errors: [] }, { 'Retry-After': '7' })
    const error = await listRuns().catch((e: unknown) => e)
    expect((error as ApiError).retryAfter).toBe(7)
    expect(describeError(error)).toEqual({
      title: 'The server is busy — try again in 7 s.',
      lines: ['This browser sent more requests than the server’s rate limit allows.'],
    })
    respond(503, { error: 'Store unavailable', detail: 'x', code: 'STORE_UNAVAILABLE', errors: [] }, { 'Retry-After': '2' })
    expect(describeError(await listRuns().catch((e: unknown) => e)).title).toBe('The server is busy — try again in 2 s.')
    respond(503, { error: 'Busy', detail: 'x', code: 'SERVER_BUSY', errors: [] })
    expect(describeError(await listRuns().catch((e: unknown) => e)).title).toBe('The server is busy — try again in a moment.')
  })

  it('a host the server does not answer to', async () => {
    respond(421, { error: 'Host not allowed', detail: 'this server does not answer to the host "evil.example" (see SLB_ALLOWED_HOSTS)', code: 'HOST_NOT_ALLOWED', errors: [] })
    const message = describeError(await listRuns().catch((e: unknown) => e))
    expect(message.title).toBe('The server does not answer to the address this page was opened at.')
    expect(message.lines[0]).toBe('This server does not answer to the host "evil.example" (see SLB_ALLOWED_HOSTS).')
  })
})
