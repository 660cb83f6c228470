import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Asset } from './types'
import { ApiError, NetworkError, createRun, listRuns } from './client'
import { describeError } from './errors'

function respond(status: number, body: string) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status, headers: { 'Content-Type': 'application/json' } })))
}

afterEach(() => vi.unstubAllGlobals())

const ASSET = { asset_id: 'P004' } as Asset

describe('API errors', () => {
  it('turns a 422 into one sentence per field, naming asset rows', async () => {
    respond(
      422,
      JSON.stringify({
        error: 'Invalid request',
        detail: 'assets[3].noi: must be > 0; max_leverage_override: must be in (0, 10)',
        code: 'INVALID_REQUEST',
        errors: [
          { field: 'assets[3].noi', message: 'must be > 0' },
          { field: 'max_leverage_override', message: 'must be in (0, 10)' },
        ],
      }),
    )
    const error = await listRuns().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    const assets = [ASSET, ASSET, ASSET, ASSET]
    expect(describeError(error, assets)).toEqual({
      title: 'The server rejected the request: 2 fields need attention.',
      lines: ['Row 4 (P004): NOI must be > 0.', 'Maximum leverage must be in (0, 10).'],
    })
  })

  it('names the assumptions the server rejects', async () => {
    respond(
      422,
      JSON.stringify({
        error: 'Invalid request',
        detail: 'x',
        code: 'INVALID_REQUEST',
        errors: [
          { field: 'assumptions.cap_rate_overrides[0].cap_rate', message: 'must be in (0, 0.5)' },
          { field: 'base_request.assumptions.lease_term_years', message: 'must be between 1 and 50' },
          { field: 'assumptions.cap_rate_shift_bps', message: 'gives a cap rate of 0.0050 for store assets in tier 1 (must stay above 0.005)' },
        ],
      }),
    )
    const error = await listRuns().catch((e: unknown) => e)
    expect(describeError(error).lines).toEqual([
      'Assumptions, cap-rate override 1, cap rate must be in (0, 0.5).',
      'Assumptions, lease term (years) must be between 1 and 50.',
      'Assumptions, cap-rate shift (bps) gives a cap rate of 0.0050 for store assets in tier 1 (must stay above 0.005).',
    ])
  })

  it('names the fields of a confirmed spec the server rejects', async () => {
    respond(
      422,
      JSON.stringify({
        error: 'Invalid request',
        detail: 'x',
        code: 'INVALID_REQUEST',
        errors: [
          { field: 'selector_spec.hard_constraints.max_net_leverage', message: 'must be in (0, 10)' },
          { field: 'selector_spec.max_iterations', message: 'must be between 1 and 10' },
        ],
      }),
    )
    const error = await listRuns().catch((e: unknown) => e)
    expect(describeError(error).lines).toEqual(['Maximum net leverage must be in (0, 10).', 'Maximum iterations must be between 1 and 10.'])
  })

  it('explains planner outages and bad floors', async () => {
    respond(503, JSON.stringify({ error: 'Planner unavailable', detail: 'timed out after 30 s', code: 'LLM_UNAVAILABLE', errors: [] }))
    expect(describeError(await listRuns().catch((e: unknown) => e))).toEqual({
      title: 'The planner is unavailable right now. Please try again in a moment.',
      lines: ['timed out after 30 s'],
    })
    respond(400, JSON.stringify({ error: 'Invalid floor', detail: 'Floor override (40,000,000) cannot exceed target amount (30,000,000)', code: 'INVALID_FLOOR_OVERRIDE', errors: [] }))
    expect(describeError(await listRuns().catch((e: unknown) => e)).title).toBe('The floor is above the target.')
  })

  it('never shows [object Object], whatever the body holds', async () => {
    respond(500, JSON.stringify({ error: { nested: true }, detail: { why: 'x' }, code: 'INTERNAL_ERROR', errors: [{ field: 1, message: { a: 1 } }] }))
    const text = JSON.stringify(describeError(await listRuns().catch((e: unknown) => e)))
    expect(text).not.toContain('[object Object]')
    expect(text).toContain('why')
  })

  it('wraps a non-JSON error page', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })))
    const message = describeError(await listRuns().catch((e: unknown) => e))
    expect(message.title).toBe('Bad Gateway (HTTP 502).')
  })

  it('says when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const error = await listRuns().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect(describeError(error).title).toBe('The SLB Planner server cannot be reached.')
  })
})

describe('API calls', () => {
  it('sends the fund as a query parameter and the request as JSON', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ run_id: 'r1', status: 'failed', error: 'x' }), { status: 201 }))
    vi.stubGlobal('fetch', fetchMock)
    const created = await createRun({ program_description: 'Raise $1M' } as never, 'Fund A')
    expect(created.run_id).toBe('r1')
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/runs?fund_id=Fund+A')
    expect(init.method).toBe('POST')
    expect(JSON.parse(init.body as string)).toEqual({ program_description: 'Raise $1M' })
  })
})
