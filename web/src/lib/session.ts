// Who this tab acts as: the identity of its API key (GET /api/me), or that it needs one.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react'
import { ApiError, checkKey, clearKey, getMe, onUnauthorized, storeKey, storedKey } from '../api/client'
import { describeError } from '../api/errors'
import type { Identity, Role } from '../api/types'
import { requestFocus } from './router'

export type Session =
  /** Asking the server; pages render meanwhile (a 401 of theirs ends it too). */
  | { state: 'checking' }
  /** `identity` null: the server could not say (unreachable); pages show their own errors. */
  | { state: 'ready'; identity: Identity | null; hasKey: boolean }
  /** A key is needed; `message` says why the last one was refused (`refused`), or that the tab signed out. */
  | { state: 'signed-out'; message: string | null; refused: boolean }

export type SessionControls = {
  session: Session
  /** Increases on every sign-in, so pages load their data again under the new key. */
  generation: number
  /** Checks `key` with the server and keeps it when it is accepted; rejects with the error otherwise. */
  signIn: (key: string) => Promise<void>
  signOut: () => void
}

/** The server's reason a key was refused, in words. */
export function rejectionMessage(error: unknown): string {
  const { lines } = describeError(error)
  return lines.length > 0 ? lines.join(' ') : 'The server refused the key.'
}

export function useSession(): SessionControls {
  const [session, setSession] = useState<Session>({ state: 'checking' })
  const [generation, setGeneration] = useState(0)
  const shown = useRef(session)
  useEffect(() => {
    shown.current = session
  }, [session])

  useEffect(() => {
    let current = true
    const stop = onUnauthorized((error, rejected) => {
      if (!current) return
      // Asked in the middle of the work: the sign-in heading takes the focus from what went away.
      if (shown.current.state === 'ready') requestFocus()
      // A refused key says why; a call without one keeps what the panel already says ("You signed out.").
      setSession((now) => (rejected || now.state !== 'signed-out' ? { state: 'signed-out', message: rejected ? rejectionMessage(error) : null, refused: rejected } : now))
    })
    getMe().then(
      // A page's 401 may have come first: it stands.
      (identity) => current && setSession((now) => (now.state === 'checking' ? { state: 'ready', identity: validIdentity(identity), hasKey: storedKey() !== null } : now)),
      (error: unknown) => {
        // A 401 reached the listener; anything else (server down) leaves the pages to say so.
        if (current && !(error instanceof ApiError && error.status === 401)) setSession((now) => (now.state === 'checking' ? { state: 'ready', identity: null, hasKey: storedKey() !== null } : now))
      },
    )
    return () => {
      current = false
      stop()
    }
  }, [])

  const signIn = useCallback(async (key: string) => {
    const identity = await checkKey(key)
    storeKey(key)
    requestFocus()
    setSession({ state: 'ready', identity: validIdentity(identity), hasKey: true })
    setGeneration((n) => n + 1)
  }, [])

  const signOut = useCallback(() => {
    clearKey()
    requestFocus()
    setSession({ state: 'signed-out', message: 'You signed out.', refused: false })
    // Behind a single-sign-on proxy the tab is still someone without a key.
    getMe().then(
      (identity) => {
        if (storedKey() === null) setSession({ state: 'ready', identity: validIdentity(identity), hasKey: false })
      },
      () => {},
    )
  }, [])

  return { session, generation, signIn, signOut }
}

const ROLES: readonly Role[] = ['viewer', 'analyst', 'admin']

/** An answer of /api/me that is an Identity, else null (a proxy page, an old server). */
function validIdentity(value: unknown): Identity | null {
  if (typeof value !== 'object' || value === null) return null
  const { name, role, funds } = value as Partial<Identity>
  if (!ROLES.includes(role as Role)) return null
  if (name !== null && typeof name !== 'string') return null
  if (funds !== null && !(Array.isArray(funds) && funds.every((f) => typeof f === 'string'))) return null
  return { name, role: role as Role, funds }
}

/** The identity of this tab; null when unknown (pages then allow everything and the server decides). */
export const IdentityContext = createContext<Identity | null>(null)

export function useIdentity(): Identity | null {
  return useContext(IdentityContext)
}

export const ROLE_LABELS: Record<Role, string> = { viewer: 'Viewer', analyst: 'Analyst', admin: 'Admin' }

/** Why this identity may not start runs, or null when it may. */
export function runBlockedReason(identity: Identity | null): string | null {
  if (identity === null) return null
  const who = identity.name ? `The key “${identity.name}”` : 'This session'
  if (identity.role === 'viewer') return `${who} is a viewer: it can read runs and scenario sets but not start them. Sign in with an analyst key to run programs.`
  if (identity.funds !== null && identity.funds.length === 0) return `${who} is limited to no fund, so it cannot start runs.`
  return null
}

/** The funds a key may write to, when it is limited to some (null: any fund, or unknown). */
export function scopedFunds(identity: Identity | null): string[] | null {
  return identity?.funds && identity.funds.length > 0 ? identity.funds : null
}
