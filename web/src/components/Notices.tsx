// Error and progress notices.
import type { ReactNode } from 'react'
import type { Asset } from '../api/types'
import { describeError } from '../api/errors'

const MAX_LINES = 12

/** A readable error: a title sentence and, below it, one line per problem. */
export function ErrorNotice({ title, lines, children }: { title: string; lines: string[]; children?: ReactNode }) {
  const shown = lines.slice(0, MAX_LINES)
  return (
    <div className="notice notice-error" role="alert">
      <h3>{title}</h3>
      {shown.length > 0 && (
        <ul>
          {shown.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
      {lines.length > shown.length && <p className="small">…and {lines.length - shown.length} more.</p>}
      {children}
    </div>
  )
}

/** Any thrown value as an ErrorNotice. */
export function RequestErrorNotice({ error, assets, children }: { error: unknown; assets?: Asset[]; children?: ReactNode }) {
  const { title, lines } = describeError(error, assets)
  return (
    <ErrorNotice title={title} lines={lines}>
      {children}
    </ErrorNotice>
  )
}

/** A page that failed to load: the error, a "Try again" button, and `children` after it. */
export function LoadFailed({ error, onRetry, children }: { error: unknown; onRetry: () => void; children?: ReactNode }) {
  return (
    <RequestErrorNotice error={error}>
      <p>
        <button type="button" className="link-button" onClick={onRetry}>
          Try again
        </button>{' '}
        {children}
      </p>
    </RequestErrorNotice>
  )
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  )
}
