import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

afterEach(() => {
  cleanup()
  // The planner keeps its form in sessionStorage; every test starts from a fresh tab.
  window.sessionStorage.clear()
})
