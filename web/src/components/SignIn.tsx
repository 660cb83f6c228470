// Signing in with an API key, and who the tab is signed in as.
import { useId, useState, type FormEvent } from 'react'
import { ApiError } from '../api/client'
import { describeError } from '../api/errors'
import { ROLE_LABELS, rejectionMessage, type Session } from '../lib/session'
import { PageHeading } from './PageHeading'

type SignInProps = {
  /** Why the tab is signed out: a refused key's reason, or that it signed out. */
  message: string | null
  /** The message is a refusal (shown as an error), not a plain note. */
  refused: boolean
  onSignIn: (key: string) => Promise<void>
}

/** Asks for an API key; the key is checked with the server before it is kept. */
export function SignInPanel({ message, refused, onSignIn }: SignInProps) {
  const [key, setKey] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const fieldId = useId()
  const hintId = useId()
  const errorId = useId()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const token = key.trim()
    if (token === '') {
      setProblem('Paste your API key first.')
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      await onSignIn(token)
    } catch (error) {
      setBusy(false)
      if (error instanceof ApiError && error.status === 401) setProblem(rejectionMessage(error))
      else {
        const { title, lines } = describeError(error)
        setProblem([title, ...lines].join(' '))
      }
    }
  }

  return (
    <div className="sign-in">
      <section className="panel" aria-labelledby="sign-in-title">
        <p className="eyebrow">Sign in</p>
        <PageHeading id="sign-in-title">Sign in with an API key</PageHeading>
        <p className="lede muted">
          This SLB Planner server asks for an API key. Paste the key an admin created for you with <code>slb keys create</code>.
        </p>
        {message && !problem && (
          <div className={refused ? 'notice notice-error' : 'notice notice-info'} role={refused ? 'alert' : 'status'}>
            <p>{message}</p>
          </div>
        )}
        <form className="sign-in-form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={fieldId}>API key</label>
            <input
              id={fieldId}
              type="password"
              value={key}
              placeholder="slb_…"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              aria-describedby={problem ? `${errorId} ${hintId}` : hintId}
              aria-invalid={problem ? true : undefined}
              onChange={(e) => setKey(e.target.value)}
            />
            {problem && (
              <span className="field-error" id={errorId} role="alert">
                {problem}
              </span>
            )}
            <span className="hint" id={hintId}>
              Kept in this browser tab only, and forgotten when the tab closes or you sign out.
            </span>
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              {busy && <span className="spinner" aria-hidden="true" />}
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      </section>
    </div>
  )
}

/** The masthead's note of who the tab acts as, with "Sign out" when it signed in with a key. */
export function SessionStatus({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  if (session.state !== 'ready' || session.identity === null) return null
  const { name, role, funds } = session.identity
  if (name === null) {
    return (
      <p className="session session-open" title="The server has no API keys yet: everyone who can reach it may use it.">
        Local · no sign-in
      </p>
    )
  }
  const fundText = funds === null ? 'All funds' : funds.length === 0 ? 'No funds' : `${funds.length === 1 ? 'Fund' : 'Funds'} ${funds.join(', ')}`
  return (
    <div className="session" role="group" aria-label="Signed in">
      <span>
        Signed in as <strong className="session-name">{name}</strong>
      </span>
      <span className="session-role">{ROLE_LABELS[role]}</span>
      <span className="session-funds">{fundText}</span>
      {session.hasKey && (
        <button type="button" className="link-button" onClick={onSignOut}>
          Sign out
        </button>
      )}
    </div>
  )
}
