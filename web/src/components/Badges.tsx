// Status and scenario badges.
import type { RunStatus, ScenarioKind, SelectionStatus, SelectionStrategy } from '../api/types'
import { OUTCOME_STATUS_LABELS, SCENARIO_KIND_LABELS, strategyLabel } from '../lib/labels'

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <span className={status === 'completed' ? 'badge badge-ok' : 'badge badge-bad'}>{status === 'completed' ? 'Completed' : 'Failed'}</span>
}

export function OutcomeBadge({ status }: { status: SelectionStatus }) {
  const tone = status === 'ok' ? 'badge-ok' : status === 'infeasible' ? 'badge-warn' : 'badge-bad'
  return <span className={`badge ${tone}`}>{OUTCOME_STATUS_LABELS[status]}</span>
}

export function ScenarioBadge({ label, kind }: { label: string | null; kind: ScenarioKind | null }) {
  if (label === null && kind === null) return null
  const kindLabel = kind ? SCENARIO_KIND_LABELS[kind] : null
  return (
    <span className="badge badge-scenario" title={kindLabel ? `Scenario kind: ${kindLabel}` : undefined}>
      {label ?? kindLabel}
      {label && kindLabel && label !== kindLabel ? ` · ${kindLabel}` : ''}
    </span>
  )
}

/** The selection strategy a run used (a request without one ran the reference greedy walk). */
export function StrategyBadge({ strategy }: { strategy: SelectionStrategy | null }) {
  return (
    <span className="badge badge-strategy" title="Selection strategy">
      <span className="visually-hidden">Strategy: </span>
      {strategyLabel(strategy)}
    </span>
  )
}
