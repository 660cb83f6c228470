// A list loaded page by page with a `before=` cursor: the first page for a key (a filter), then
// "Load more" appends the page after the last item. A page shorter than the limit is the last.
import { useCallback, useEffect, useState } from 'react'

export type Paged<T> =
  | { state: 'loading'; reload: () => void }
  | { state: 'error'; error: unknown; reload: () => void }
  | {
      state: 'ready'
      items: T[]
      hasMore: boolean
      loadingMore: boolean
      /** Why the last "Load more" failed, or null. */
      moreError: unknown
      loadMore: () => void
      reload: () => void
    }

type Pages<T> = { key: string; attempt: number; items: T[]; hasMore: boolean; loadingMore: boolean; moreError: unknown }
type Settled<T> = { key: string; attempt: number; pages: Pages<T> | null; error: unknown }

/** `load` and `idOf` must be stable (module level): `load` gets the key and the cursor (null for the first page). */
export function usePaged<T>(key: string, limit: number, load: (key: string, before: string | null) => Promise<T[]>, idOf: (item: T) => string): Paged<T> {
  const [attempt, setAttempt] = useState(0)
  const [settled, setSettled] = useState<Settled<T> | null>(null)

  useEffect(() => {
    let current = true
    load(key, null).then(
      (items) => current && setSettled({ key, attempt, error: null, pages: { key, attempt, items, hasMore: items.length >= limit, loadingMore: false, moreError: null } }),
      (error: unknown) => current && setSettled({ key, attempt, error, pages: null }),
    )
    return () => {
      current = false
    }
  }, [key, attempt, limit, load])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  const fresh = settled !== null && settled.key === key && settled.attempt === attempt ? settled : null
  const pages = fresh?.pages ?? null

  const loadMore = useCallback(() => {
    if (!pages || pages.loadingMore || pages.items.length === 0) return
    const cursor = idOf(pages.items[pages.items.length - 1])
    const same = (s: Settled<T> | null): s is Settled<T> & { pages: Pages<T> } => s !== null && s.pages !== null && s.key === pages.key && s.attempt === pages.attempt
    setSettled((s) => (same(s) ? { ...s, pages: { ...s.pages, loadingMore: true, moreError: null } } : s))
    load(pages.key, cursor).then(
      (more) => setSettled((s) => (same(s) ? { ...s, pages: { ...s.pages, items: [...s.pages.items, ...more], hasMore: more.length >= limit, loadingMore: false } } : s)),
      (error: unknown) => setSettled((s) => (same(s) ? { ...s, pages: { ...s.pages, loadingMore: false, moreError: error } } : s)),
    )
  }, [pages, idOf, limit, load])

  if (!fresh) return { state: 'loading', reload }
  if (!pages) return { state: 'error', error: fresh.error, reload }
  return { state: 'ready', items: pages.items, hasMore: pages.hasMore, loadingMore: pages.loadingMore, moreError: pages.moreError, loadMore, reload }
}
