import { useEffect } from 'react'

/** Sets the document title: "<what> — SLB Planner". */
export function useDocumentTitle(what: string): void {
  useEffect(() => {
    document.title = `${what} — SLB Planner`
  }, [what])
}
