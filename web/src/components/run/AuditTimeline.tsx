import type { AuditTrace, AuditTraceEntry, PolicyViolation, SpecSnapshot } from '../../api/types'
import { dateTime, duration, durationMs, moneyCompact, percent, ratio, time } from '../../lib/format'
import { METRIC_LABELS, POLICY_CODE_LABELS, readable, specFieldLabel } from '../../lib/labels'
import { formatMetric } from '../../lib/metrics'
import { OutcomeBadge } from '../Badges'

const SNAPSHOT_FIELDS: [keyof SpecSnapshot, string][] = [
  ['target_amount', 'Target'],
  ['max_net_leverage', `${METRIC_LABELS.net_leverage} ≤`],
  ['min_interest_coverage', `${METRIC_LABELS.interest_coverage} ≥`],
  ['min_fixed_charge_coverage', `${METRIC_LABELS.fixed_charge_coverage} ≥`],
  ['max_critical_fraction', `${METRIC_LABELS.critical_fraction} ≤`],
  ['max_criticality', 'Asset criticality ≤'],
  ['min_leaseability_score', 'Leaseability score ≥'],
]

/** Every engine run of the revision loop, and a revision the policy rejected. */
export function AuditTimeline({ trace }: { trace: AuditTrace }) {
  return (
    <section className="panel" id="audit" aria-labelledby="audit-title">
      <div className="panel-header">
        <h2 id="audit-title">Audit trail</h2>
        <p>
          Started {dateTime(trace.started_at)} · took {duration(durationMs(trace.started_at, trace.completed_at))}
        </p>
      </div>
      <dl className="figures">
        <div className="figure">
          <dt>Original target</dt>
          <dd className="money">
            {moneyCompact(trace.original_target)}
            <span className="note">{trace.target_source === 'user_override' ? 'your override' : 'read from the brief'}</span>
          </dd>
        </div>
        <div className="figure">
          <dt>Floor</dt>
          <dd className="money">
            {moneyCompact(trace.floor_target)}
            <span className="note">{percent(trace.floor_fraction, 0)} of the original target</span>
          </dd>
        </div>
        <div className="figure">
          <dt>Iterations</dt>
          <dd className="num">{trace.entries.length}</dd>
        </div>
      </dl>
      {trace.entries.length === 0 ? (
        <p className="empty">No iterations were recorded.</p>
      ) : (
        <ol className="timeline">
          {trace.entries.map((entry) => (
            <TimelineEntry key={entry.iteration} entry={entry} />
          ))}
          {trace.rejected_revision_violations.length > 0 && (
            <li className="tl-rejected">
              <div className="timeline-head">
                <h3>Rejected revision</h3>
                <span className="badge badge-warn">Rejected by policy</span>
              </div>
              <p className="small muted">The planner proposed a further revision that broke the revision policy; the run stopped with the last accepted spec.</p>
              <PolicyList violations={trace.rejected_revision_violations} />
            </li>
          )}
        </ol>
      )}
    </section>
  )
}

function TimelineEntry({ entry }: { entry: AuditTraceEntry }) {
  const outcome = entry.outcome_snapshot
  return (
    <li className={outcome.status === 'ok' ? undefined : 'tl-bad'}>
      <div className="timeline-head">
        <h3>{entry.iteration === 0 ? 'Initial run' : `Revision ${entry.iteration}`}</h3>
        <OutcomeBadge status={outcome.status} />
        <span className="muted small">{time(entry.timestamp)}</span>
        <span className="small num">
          Target {entry.target_before !== null && entry.target_before !== entry.target_after ? `${moneyCompact(entry.target_before)} → ` : ''}
          {moneyCompact(entry.target_after)}
        </span>
      </div>
      {entry.policy_violations.length > 0 && (
        <>
          <h4>Policy adjustments to the revision</h4>
          <PolicyList violations={entry.policy_violations} />
        </>
      )}
      <h4>Spec</h4>
      <dl className="kv">
        {SNAPSHOT_FIELDS.filter(([field]) => entry.spec_snapshot[field] !== null).map(([field, label]) => (
          <div key={field}>
            <dt>{label}</dt>
            <dd>{formatMetric(field, entry.spec_snapshot[field])}</dd>
          </div>
        ))}
      </dl>
      <h4>Outcome</h4>
      <dl className="kv">
        <div>
          <dt>Proceeds</dt>
          <dd>{moneyCompact(outcome.proceeds)}</dd>
        </div>
        <div>
          <dt>{METRIC_LABELS.net_leverage} after</dt>
          <dd>{ratio(outcome.leverage_after)}</dd>
        </div>
        <div>
          <dt>{METRIC_LABELS.interest_coverage} after</dt>
          <dd>{ratio(outcome.interest_coverage_after)}</dd>
        </div>
        <div>
          <dt>{METRIC_LABELS.fixed_charge_coverage} after</dt>
          <dd>{ratio(outcome.fixed_charge_coverage_after)}</dd>
        </div>
        <div>
          <dt>{METRIC_LABELS.critical_fraction}</dt>
          <dd>{percent(outcome.critical_fraction)}</dd>
        </div>
      </dl>
      {outcome.violations.length > 0 && (
        <>
          <h4>Constraint violations</h4>
          <ul className="plain">
            {outcome.violations.map((v, i) => (
              <li key={i}>{readable(v.detail)}</li>
            ))}
          </ul>
        </>
      )}
    </li>
  )
}

function PolicyList({ violations }: { violations: PolicyViolation[] }) {
  return (
    <ul className="plain">
      {violations.map((v, i) => (
        <li key={i}>
          <strong>{POLICY_CODE_LABELS[v.code] ?? v.code}</strong> ({specFieldLabel(v.field)}): {readable(v.detail)}
          {policyValues(v)}
        </li>
      ))}
    </ul>
  )
}

function policyValues(v: PolicyViolation): string {
  const parts: string[] = []
  if (v.attempted !== null) parts.push(`proposed ${formatMetric(v.field, v.attempted)}`)
  if (v.limit !== null) parts.push(`limit ${formatMetric(v.field, v.limit)}`)
  parts.push(v.adjusted_to !== null ? `clamped to ${formatMetric(v.field, v.adjusted_to)}` : 'not applied')
  return ` — ${parts.join(', ')}`
}
