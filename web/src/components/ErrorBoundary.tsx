import { Component, type ReactNode } from 'react'

type State = { error: Error | null }

/** Shows a readable message instead of a blank page when a view fails to render. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  render() {
    if (this.state.error === null) return this.props.children
    return (
      <div className="notice notice-error" role="alert">
        <h3>Something went wrong while showing this page.</h3>
        <p>{this.state.error.message || String(this.state.error)}</p>
        <button type="button" className="button secondary small" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    )
  }
}
