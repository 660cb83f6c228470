import type { ProgramRequest, RunRecord } from '../../api/types'
import { requestedAssumptions } from '../../lib/assumptions'
import { money, moneyCompact, ratio } from '../../lib/format'
import { assetMix, strategyLabel } from '../../lib/labels'

/** What a run was given: portfolio, company, overrides, strategy and assumptions (from the stored request). */
export function RunInputs({ run }: { run: RunRecord }) {
  const request = run.request
  return (
    <section className="panel" id="inputs" aria-labelledby="inputs-title">
      <div className="panel-header">
        <h2 id="inputs-title">Inputs</h2>
        <p>{request ? 'What this run was given. Re-running it reproduces the result exactly.' : 'Not kept for this run.'}</p>
      </div>
      {request === null ? (
        <p className="empty">This run was stored before requests were kept, so its portfolio and settings cannot be shown, opened in the planner or re-run.</p>
      ) : (
        <RequestInputs request={request} specSource={run.response?.audit_trace?.spec_source ?? null} />
      )}
    </section>
  )
}

function RequestInputs({ request, specSource }: { request: ProgramRequest; specSource: 'planner' | 'request' | null }) {
  const assets = request.assets
  const corporate = request.corporate_state
  const markets = new Set(assets.map((a) => a.market)).size
  const assumptions = requestedAssumptions(request.assumptions)
  const overrides = [
    { label: 'Target', value: request.target_amount_override, show: moneyCompact },
    { label: 'Floor', value: request.floor_override, show: moneyCompact },
    { label: 'Maximum net leverage', value: request.max_leverage_override, show: (v: number) => ratio(v) },
    { label: 'Minimum fixed-charge coverage', value: request.min_coverage_override, show: (v: number) => ratio(v) },
  ].filter((o) => o.value !== null)
  const spec = request.selector_spec !== null || specSource === 'request' ? 'Confirmed on the planner (run as sent)' : 'Planned from the brief'
  return (
    <div className="inputs-grid">
      <div>
        <h3>Portfolio</h3>
        <dl className="kv kv-single">
          <div>
            <dt>Assets</dt>
            <dd>{assets.length.toLocaleString('en-US')}</dd>
          </div>
          <div>
            <dt>Markets</dt>
            <dd>{markets.toLocaleString('en-US')}</dd>
          </div>
          <div>
            <dt>Total NOI</dt>
            <dd>{moneyCompact(assets.reduce((s, a) => s + a.noi, 0))}</dd>
          </div>
          <div>
            <dt>Book value</dt>
            <dd>{moneyCompact(assets.reduce((s, a) => s + a.book_value, 0))}</dd>
          </div>
        </dl>
        <p className="small muted inputs-mix">{assetMix(assets.map((a) => a.asset_type))}</p>
      </div>
      <div>
        <h3>Company</h3>
        <dl className="kv kv-single">
          <div>
            <dt>Net debt</dt>
            <dd>{money(corporate.net_debt)}</dd>
          </div>
          <div>
            <dt>EBITDA</dt>
            <dd>{money(corporate.ebitda)}</dd>
          </div>
          <div>
            <dt>Interest expense</dt>
            <dd>{money(corporate.interest_expense)}</dd>
          </div>
          <div>
            <dt>Lease expense</dt>
            <dd>{corporate.lease_expense === null ? 'none' : money(corporate.lease_expense)}</dd>
          </div>
        </dl>
      </div>
      <div>
        <h3>Spec and strategy</h3>
        <dl className="kv kv-single">
          <div>
            <dt>Spec</dt>
            <dd>{spec}</dd>
          </div>
          <div>
            <dt>Selection strategy</dt>
            <dd>{strategyLabel(request.selection_strategy)}</dd>
          </div>
          {overrides.length === 0 ? (
            <div>
              <dt>Overrides</dt>
              <dd>none</dd>
            </div>
          ) : (
            overrides.map((o) => (
              <div key={o.label}>
                <dt>{o.label} override</dt>
                <dd>{o.show(o.value!)}</dd>
              </div>
            ))
          )}
        </dl>
      </div>
      <div>
        <h3>Assumptions</h3>
        {assumptions.length === 0 ? (
          <p className="small muted">The server defaults.</p>
        ) : (
          <dl className="kv kv-single">
            {assumptions.map((a) => (
              <div key={a.label}>
                <dt>{a.label}</dt>
                <dd>{a.value}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
    </div>
  )
}
