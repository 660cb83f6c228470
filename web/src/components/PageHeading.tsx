import { useEffect, useRef, type ReactNode } from 'react'
import { takeFocusRequest } from '../lib/router'

/**
 * The h1 of a page. After an in-app navigation it takes the focus (once it exists: pages that
 * load show it when their data arrives), so a screen reader announces the new page and the next
 * Tab starts from its content, not from the link that was followed.
 */
export function PageHeading({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (takeFocusRequest()) ref.current?.focus({ preventScroll: true })
  }, [])
  return (
    <h1 ref={ref} id={id} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  )
}

