// The HTTP API of `slb serve`. Every failure becomes an ApiError carrying the API's error body
// (`{error, detail, code, errors[]}`), so the UI can show readable messages.
import type {
  ErrorResponse,
  FieldError,
  PlanPreview,
  ProgramRequest,
  ProgramResponse,
  RunListItem,
  RunRecord,
  ScenarioSetRequest,
  ScenarioSetSummary,
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

  constructor(status: number, body: ErrorResponse) {
    super(body.error)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.detail = body.detail
    this.fieldErrors = body.errors
  }
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

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (e) {
    throw new NetworkError(e)
  }
  const text = await response.text()
  const json = parseJson(text)
  if (!response.ok) throw new ApiError(response.status, errorBody(response, json, text))
  return json as T
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
