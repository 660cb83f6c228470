import type { ProgramResponse } from '../../api/types'
import { moneyCompact, percent } from '../../lib/format'
import { TARGET_TOLERANCE } from '../../lib/metrics'
import { TargetGauge } from '../charts/TargetGauge'

/** Target vs achieved: the headline of a run. */
export function TargetSection({ response }: { response: ProgramResponse }) {
  const { outcome, selector_spec: spec, audit_trace: trace } = response
  const target = spec.target_amount
  const share = target > 0 ? outcome.proceeds / target : null
  const cut = trace !== null && trace.original_target !== target
  return (
    <section className="panel" id="target" aria-labelledby="target-title">
      <div className="panel-header">
        <h2 id="target-title">Target vs achieved</h2>
      </div>
      <dl className="figures">
        <div className="figure">
          <dt>Raised</dt>
          <dd className="money">{moneyCompact(outcome.proceeds)}</dd>
        </div>
        <div className="figure">
          <dt>Target</dt>
          <dd className="money">
            {moneyCompact(target)}
            {cut && <span className="note">cut from {moneyCompact(trace.original_target)}</span>}
          </dd>
        </div>
        <div className="figure">
          <dt>Of target</dt>
          <dd className="num">{percent(share)}</dd>
        </div>
        <div className="figure">
          <dt>Assets sold</dt>
          <dd className="num">{outcome.selected_assets.length}</dd>
        </div>
        {trace && (
          <div className="figure">
            <dt>Target source</dt>
            <dd className="figure-text">{trace.spec_source === 'request' ? 'Your confirmed spec' : trace.target_source === 'user_override' ? 'Your override' : 'From the brief'}</dd>
          </div>
        )}
      </dl>
      <TargetGauge proceeds={outcome.proceeds} target={target} tolerance={TARGET_TOLERANCE} floor={trace?.floor_target ?? null} />
    </section>
  )
}
