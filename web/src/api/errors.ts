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
  const fieldLines = problemsFromFieldErrors(error.fieldErrors, assets).map(describeProblem)
  switch (error.code) {
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

function detailLines(error: ApiError): string[] {
  return error.detail ? error.detail.split(/\n|; /).filter((line) => line.trim() !== '') : []
}
