// A small client-side router over the History API. The server answers every non-API path with
// the app, so these URLs can be bookmarked and reloaded.
import { useSyncExternalStore } from 'react'

export type Route =
  | { page: 'planner' }
  | { page: 'runs' }
  | { page: 'run'; id: string }
  | { page: 'analyses'; id: string }
  | { page: 'scenario-sets' }
  | { page: 'scenario-set'; id: string }
  | { page: 'not-found'; path: string }

export const paths = {
  planner: '/',
  runs: '/runs',
  run: (id: string) => `/runs/${encodeURIComponent(id)}`,
  analyses: (id: string) => `/runs/${encodeURIComponent(id)}/analyses`,
  scenarioSets: '/scenario-sets',
  scenarioSet: (id: string) => `/scenario-sets/${encodeURIComponent(id)}`,
}

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent)
  if (parts.length === 0) return { page: 'planner' }
  if (parts[0] === 'runs' && parts.length === 1) return { page: 'runs' }
  if (parts[0] === 'runs' && parts.length === 2) return { page: 'run', id: parts[1] }
  if (parts[0] === 'runs' && parts.length === 3 && parts[2] === 'analyses') return { page: 'analyses', id: parts[1] }
  if (parts[0] === 'scenario-sets' && parts.length === 1) return { page: 'scenario-sets' }
  if (parts[0] === 'scenario-sets' && parts.length === 2) return { page: 'scenario-set', id: parts[1] }
  return { page: 'not-found', path: pathname }
}

const NAVIGATE_EVENT = 'slb:navigate'

/** Set by a navigation: the next page heading to mount takes the focus (see PageHeading). */
let focusRequested = false

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    focusRequested = true
  })
}

/** The next page heading to mount takes the focus, as after a navigation (a sign-in, a sign-out). */
export function requestFocus(): void {
  focusRequested = true
}

/** Whether a navigation asked for the focus since the last call (and clears the request). */
export function takeFocusRequest(): boolean {
  const requested = focusRequested
  focusRequested = false
  return requested
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange)
  window.addEventListener(NAVIGATE_EVENT, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(NAVIGATE_EVENT, onChange)
  }
}

/** The current path; re-renders on navigation. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname)
}

export function navigate(path: string): void {
  if (path === window.location.pathname) return
  window.history.pushState(null, '', path)
  focusRequested = true
  window.scrollTo(0, 0)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
}
