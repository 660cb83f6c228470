// Loads the data of a page for a key (a run id, a fund filter…), again when the key changes or
// on reload(); answers for a key that is no longer current are dropped.
import { useCallback, useEffect, useState } from 'react'

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'ready'; data: T }

type Settled<T> = { key: string; attempt: number; result: Loaded<T> }

/** `load` must be stable (a module-level function): it is called with the key. */
export function useLoader<T>(key: string, load: (key: string) => Promise<T>): [Loaded<T>, () => void] {
  const [attempt, setAttempt] = useState(0)
  const [settled, setSettled] = useState<Settled<T> | null>(null)
  useEffect(() => {
    let current = true
    const settle = (result: Loaded<T>) => current && setSettled({ key, attempt, result })
    load(key).then(
      (data) => settle({ state: 'ready', data }),
      (error: unknown) => settle({ state: 'error', error }),
    )
    return () => {
      current = false
    }
  }, [key, attempt, load])
  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  const fresh = settled !== null && settled.key === key && settled.attempt === attempt
  return [fresh ? settled.result : { state: 'loading' }, reload]
}
