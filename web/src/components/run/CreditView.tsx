import type { CreditAnalysis, CreditMetric, ProgramOutcome } from '../../api/types'
import { LENSES, lensChange, lensValue, lensVerdict } from '../../lib/credit'

/** The six credit lenses side by side: before → after, the limit and its verdict, the definition. */
export function CreditView({ analysis, outcome }: { analysis: CreditAnalysis; outcome: ProgramOutcome }) {
  const multiple = analysis.assumptions.lease_multiple
  return (
    <section className="panel" id="credit" aria-labelledby="credit-title">
      <div className="panel-header">
        <h2 id="credit-title">Credit view</h2>
        <p>The same program through the eyes of the reference model, a covenant, a rating agency and IFRS 16.</p>
      </div>
      <ul className="lenses">
        {analysis.metrics.map((metric) => (
          <LensCard key={metric.name} metric={metric} outcome={outcome} basis={metric.name === 'lease_adjusted_leverage' ? `${LENSES[metric.name].basis} · ${multiple.toFixed(1)}× rent` : LENSES[metric.name].basis} />
        ))}
      </ul>
      <p className="small muted lens-note">
        n/m: not meaningful, the denominator is zero or negative (for example EBITDA after the new rent); a limit on such a ratio is not met. Limits come from the spec's hard constraints.
      </p>
    </section>
  )
}

function LensCard({ metric, outcome, basis }: { metric: CreditMetric; outcome: ProgramOutcome; basis: string }) {
  const lens = LENSES[metric.name]
  const verdict = lensVerdict(metric, outcome)
  const change = lensChange(metric)
  const titleId = `lens-${metric.name}`
  return (
    <li className={`lens${verdict === 'breached' || verdict === 'not-meaningful' ? ' lens-breached' : ''}`} aria-labelledby={titleId}>
      <h3 id={titleId}>{lens.label}</h3>
      <p className="lens-basis">{basis}</p>
      <p className="lens-values">
        <span className="lens-before" title="Before the program">
          {lensValue(metric.before)}
        </span>
        <span className="lens-arrow" aria-hidden="true">
          {' → '}
        </span>
        <span className="visually-hidden"> to </span>
        <strong className="lens-after" title="After the program">
          {lensValue(metric.after)}
        </strong>
      </p>
      <p className="lens-change">{change || '\u00a0'}</p>
      <p className={`lens-limit${verdict ? ` lens-${verdict === 'met' ? 'met' : 'breached'}` : ''}`}>
        {metric.limit === null ? (
          <span className="muted">No limit</span>
        ) : (
          <>
            <span>
              Limit {lens.kind === 'leverage' ? '≤' : '≥'} {lensValue(metric.limit)}
            </span>
            <span className="lens-verdict">
              <span aria-hidden="true">{verdict === 'met' ? '✓ ' : '✗ '}</span>
              {verdict === 'met' ? 'Met' : verdict === 'not-meaningful' ? 'Not met (n/m)' : 'Breached'}
            </span>
          </>
        )}
      </p>
      <p className="lens-definition">{metric.definition}</p>
    </li>
  )
}
