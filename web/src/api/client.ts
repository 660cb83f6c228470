// The HTTP API of `slb serve`. Every failure becomes an ApiError carrying the API's error body
// (`{error, detail, code, errors[]}`), so the UI can show readable messages.
import type {
  ErrorResponse,
  FieldError,
  Frontier,
  FrontierRequest,
  Identity,
  PlanPreview,
  ProgramRequest,
  ProgramResponse,
  RunListItem,
  RunRecord,
  ScenarioSetRequest,
  ScenarioSetSummary,
  SensitivityGrid,
  SensitivityRequest,
} from './types'

/** Body of a 201 from `POST /api/runs`: a completed run has `response`, a failed one `error`. */
export type CreatedRun = Pick<RunRecord, 'run_id' | 'status'> & {
  response?: ProgramResponse
  error?: string
}

/** A scenario set with its runs, in scenario order. */
export type ScenarioSetWithRuns = { scenario_set: ScenarioSetSummary; runs: RunRecord[] }

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly detail: string | null
  readonly fieldErrors: FieldError[]
  /** Seconds to wait before trying again (the `Retry-After` of a 429 or 503), when given. */
  readonly retryAfter: number | null

  constructor(status: number, body: ErrorResponse, retryAfter: number | null = null) {
    super(body.error)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.detail = body.detail
    this.fieldErrors = body.errors
    this.retryAfter = retryAfter
  }
}

// ---- the API key of this tab ----
//
// Kept in sessionStorage (gone when the tab closes; never localStorage, never logged) and sent
// as `Authorization: Bearer <key>` on every call.

const KEY_ITEM = 'slb.apiKey'

/** The API key this tab signed in with, if any. */
export function storedKey(): string | null {
  try {
    return window.sessionStorage.getItem(KEY_ITEM)
  } catch {
    return null
  }
}

export function storeKey(key: string): void {
  try {
    window.sessionStorage.setItem(KEY_ITEM, key)
  } catch {
    // Storage refused (private mode, quota): the key lives until the next reload only.
    memoryKey = key
    return
  }
  memoryKey = null
}

/** Signs out: forgets the key. */
export function clearKey(): void {
  memoryKey = null
  try {
    window.sessionStorage.removeItem(KEY_ITEM)
  } catch {
    // Nothing stored.
  }
}

/** The key when sessionStorage refused it. */
let memoryKey: string | null = null

function currentKey(): string | null {
  return storedKey() ?? memoryKey
}

/** Told of every 401: `rejected` when the key sent was refused (it has been forgotten). */
export type UnauthorizedListener = (error: ApiError, rejected: boolean) => void

const unauthorizedListeners = new Set<UnauthorizedListener>()

/** Calls `listener` on every 401 of any API call; returns the unsubscribe function. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener)
  return () => {
    unauthorizedListeners.delete(listener)
  }
}

/** Who the stored key (or, in open mode, nobody) acts as. */
export function getMe(): Promise<Identity> {
  return call('GET', '/api/me')
}

/**
 * Checks a key before keeping it: who it acts as, or the 401 saying why not. Listeners are
 * not told (the sign-in form shows the answer) and nothing is stored.
 */
export function checkKey(key: string): Promise<Identity> {
  return call('GET', '/api/me', undefined, { key })
}

/** The server could not be reached at all. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.name = 'NetworkError'
  }
}

export function createRun(request: ProgramRequest, fundId: string | null): Promise<CreatedRun> {
  return call('POST', withQuery('/api/runs', { fund_id: fundId }), request)
}

/** The spec the request would run, with where each field came from; nothing runs or is stored. */
export function planProgram(request: ProgramRequest): Promise<PlanPreview> {
  return call('POST', '/api/plan', request)
}

/** The frontier of gross proceeds against a metric; nothing is stored. */
export function traceFrontier(request: FrontierRequest, fundId: string | null): Promise<Frontier> {
  return call('POST', withQuery('/api/analyses/frontier', { fund_id: fundId }), request)
}

/** The request's program under every combination of two parameters; nothing is stored. */
export function runSensitivity(request: SensitivityRequest, fundId: string | null): Promise<SensitivityGrid> {
  return call('POST', withQuery('/api/analyses/sensitivity', { fund_id: fundId }), request)
}

export function getRun(runId: string): Promise<RunRecord> {
  return call('GET', `/api/runs/${encodeURIComponent(runId)}`)
}

export type RunQuery = {
  /** Exactly this fund. */
  fundId?: string | null
  /** Funds whose id starts with this. */
  fundPrefix?: string | null
  limit?: number
  /** The last run id of the previous page. */
  before?: string | null
}

export function listRuns(options: RunQuery = {}): Promise<RunListItem[]> {
  return call('GET', withQuery('/api/runs', { fund_id: options.fundId, fund_prefix: options.fundPrefix, limit: options.limit, before: options.before }))
}

/** The fund ids that have runs, sorted. */
export function listFunds(): Promise<string[]> {
  return call('GET', '/api/funds')
}

export function createScenarioSet(request: ScenarioSetRequest): Promise<ScenarioSetWithRuns> {
  return call('POST', '/api/scenario_sets', request)
}

export function listScenarioSets(options: { limit?: number; before?: string | null } = {}): Promise<ScenarioSetSummary[]> {
  return call('GET', withQuery('/api/scenario_sets', { limit: options.limit, before: options.before }))
}

export function getScenarioSet(id: string): Promise<ScenarioSetWithRuns> {
  return call('GET', `/api/scenario_sets/${encodeURIComponent(id)}`)
}

function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value))
  }
  const text = query.toString()
  return text ? `${path}?${text}` : path
}

/** `key`: send this key instead of the stored one, and tell no listener of a 401. */
async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, options: { key?: string } = {}): Promise<T> {
  const key = options.key ?? currentKey()
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (key) headers.Authorization = `Bearer ${key}`
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers: Object.keys(headers).length > 0 ? headers : undefined,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (e) {
    throw new NetworkError(e)
  }
  const text = await response.text()
  const json = parseJson(text)
  if (!response.ok) {
    const error = new ApiError(response.status, errorBody(response, json, text), retryAfter(response))
    if (response.status === 401 && options.key === undefined) unauthorized(error, key)
    throw error
  }
  return json as T
}

/** A 401: a key that was sent is refused (revoked, unknown) and forgotten; everyone is told. */
function unauthorized(error: ApiError, sent: string | null) {
  // Signed in (or out) with another key meanwhile: this answer is about the past.
  if (currentKey() !== sent) return
  if (sent !== null) clearKey()
  for (const listener of [...unauthorizedListeners]) listener(error, sent !== null)
}

/** `Retry-After` in seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
function retryAfter(response: Response): number | null {
  const value = response.headers?.get('Retry-After')?.trim()
  if (!value) return null
  if (/^\d+$/.test(value)) return Number(value)
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The API always answers errors as ErrorResponse; anything else (a proxy page) is wrapped. */
function errorBody(response: Response, json: unknown, text: string): ErrorResponse {
  if (typeof json === 'object' && json !== null && 'error' in json && 'code' in json) {
    const body = json as Partial<ErrorResponse>
    return {
      error: asText(body.error),
      detail: body.detail === null || body.detail === undefined ? null : asText(body.detail),
      code: asText(body.code),
      errors: Array.isArray(body.errors)
        ? body.errors.map((e) => ({ field: asText(e?.field), message: asText(e?.message) }))
        : [],
    }
  }
  return {
    error: response.statusText || `HTTP ${response.status}`,
    detail: text.trim().slice(0, 300) || null,
    code: `HTTP_${response.status}`,
    errors: [],
  }
}

/** Never lets an object reach the screen as "[object Object]". */
function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
