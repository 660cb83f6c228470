// What to tell a person when a request fails.
import type { Asset } from './types'
import { ApiError, NetworkError } from './client'
import { describeProblem, problemsFromFieldErrors } from '../lib/problems'

export type ErrorMessage = { title: string; lines: string[] }

/** A multi-line error text as its non-empty lines; none for null or undefined. */
export function errorLines(text: string | null | undefined): string[] {
  return (text ?? '').split('\n').filter(Boolean)
}

/** A title and readable lines for any thrown value; `assets` names rows in field errors. */
export function describeError(error: unknown, assets: Asset[] = []): ErrorMessage {
  if (error instanceof ApiError) return describeApiError(error, assets)
  if (error instanceof NetworkError) {
    return {
      title: 'The SLB Planner server cannot be reached.',
      lines: ['Check that `slb serve` is running, then try again.'],
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { title: 'Something went wrong.', lines: message ? [message] : [] }
}

function describeApiError(error: ApiError, assets: Asset[]): ErrorMessage {
  const busy = busyMessage(error)
  if (busy) return busy
  const fieldLines = problemsFromFieldErrors(error.fieldErrors, assets).map(describeProblem)
  switch (error.code) {
    case 'UNAUTHORIZED':
      return { title: 'Sign in with an API key to continue.', lines: unauthorizedLines(error) }
    case 'FORBIDDEN':
      return { title: 'Your API key does not allow this.', lines: forbiddenLines(error) }
    case 'HOST_NOT_ALLOWED':
      return {
        title: 'The server does not answer to the address this page was opened at.',
        lines: [
          ...detailLines(error).map(sentence),
          'Open SLB Planner at the address its operator gave you, or ask them to add this host to SLB_ALLOWED_HOSTS.',
        ],
      }
    case 'INVALID_REQUEST': {
      const count = error.fieldErrors.length
      return {
        title: `The server rejected the request: ${count === 1 ? 'one field needs' : `${count} fields need`} attention.`,
        lines: fieldLines.length > 0 ? fieldLines : detailLines(error),
      }
    }
    case 'VALIDATION_FAILED':
      return { title: 'The portfolio or request did not pass validation.', lines: fieldLines.length > 0 ? fieldLines : detailLines(error) }
    case 'INVALID_FLOOR_OVERRIDE':
      return { title: 'The floor is above the target.', lines: detailLines(error) }
    case 'LLM_UNAVAILABLE':
      return { title: 'The planner is unavailable right now. Please try again in a moment.', lines: detailLines(error) }
    case 'LLM_INVALID_OUTPUT':
      return { title: 'The planner returned an answer that could not be used. Please try again.', lines: detailLines(error) }
    case 'NOT_FOUND':
      return { title: `${error.message}.`, lines: detailLines(error) }
    case 'INTERNAL_ERROR':
      return { title: 'The server hit an unexpected error.', lines: detailLines(error) }
    default:
      return { title: `${error.message || 'The request failed'} (HTTP ${error.status}).`, lines: [...fieldLines, ...detailLines(error)] }
  }
}

/** Why a request without a usable key was refused, in words. */
function unauthorizedLines(error: ApiError): string[] {
  const detail = (error.detail ?? '').trim()
  if (detail === 'unknown API key') return ['The server does not know this API key: check that it was pasted whole.']
  if (/revoked/.test(detail)) return ['This API key has been revoked: ask an admin for a new one.']
  if (/API key is required/.test(detail)) return ['This server needs an API key for every request.']
  return detailLines(error).map(sentence)
}

const ROLE_NAMES: Record<string, string> = { viewer: 'a viewer', analyst: 'an analyst', admin: 'an admin' }

/** What a request to `path` does, for "needs an analyst key to …". */
function actionOf(method: string, path: string): string {
  if (method === 'POST' && path === '/api/runs') return 'run a program'
  if (method === 'POST' && path === '/api/scenario_sets') return 'run a scenario analysis'
  if (method === 'POST' && path === '/api/plan') return 'preview a spec'
  return `${method} ${path}`
}

/** The server's 403 details (role too low, a fund outside the key's) in words. */
function forbiddenLines(error: ApiError): string[] {
  const detail = (error.detail ?? '').trim()
  const role = /^(.+) has the role (\w+); (\w+) (\S+) needs (\w+)$/.exec(detail)
  if (role) {
    const [, who, has, method, path, needs] = role
    return [`${keyName(who)} is ${ROLE_NAMES[has] ?? has}: it may read runs and scenario sets, but it needs ${ROLE_NAMES[needs] ?? needs} role to ${actionOf(method, path)}.`, 'Ask an admin for an analyst key, then sign in with it.']
  }
  const otherFund = /^(.+) may not write to fund "(.*)" \(its funds: (.*)\)$/.exec(detail)
  if (otherFund) {
    const [, who, fund, funds] = otherFund
    return [`${keyName(who)} may not write to fund ${fund}; it may write to ${funds}.`, 'Pick one of its funds as the Fund ID.']
  }
  const noFund = /^(.+) is limited to funds (.*): give fund_id, one of them$/.exec(detail)
  if (noFund) {
    const [, who, funds] = noFund
    return [`${keyName(who)} may only write to ${funds}: pick one of them as the Fund ID.`]
  }
  return detailLines(error).map(sentence)
}

/** `the key "alice"` → `The key “alice”`. */
function keyName(who: string): string {
  const named = /^the key "(.*)"$/.exec(who)
  if (named) return `The key “${named[1]}”`
  return who.charAt(0).toUpperCase() + who.slice(1)
}

/** 429 and 503 (rate limits, caps, an unavailable store): wait and try again. */
function busyMessage(error: ApiError): ErrorMessage | null {
  if (error.status !== 429 && error.status !== 503) return null
  if (error.code.startsWith('LLM_')) return null
  const when = error.retryAfter === null ? 'in a moment' : `in ${Math.max(1, error.retryAfter)} s`
  const why: Record<string, string> = {
    RATE_LIMITED: 'This browser sent more requests than the server’s rate limit allows.',
    TOO_MANY_CONNECTIONS: 'This browser has too many connections open to the server.',
    SERVER_BUSY: 'The server is handling as many requests as it can.',
    STORE_UNAVAILABLE: 'Its database cannot be reached right now.',
  }
  return { title: `The server is busy — try again ${when}.`, lines: why[error.code] ? [why[error.code]] : [] }
}

function sentence(text: string): string {
  const trimmed = text.trim()
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

function detailLines(error: ApiError): string[] {
  return error.detail ? error.detail.split(/\n|; /).filter((line) => line.trim() !== '') : []
}
