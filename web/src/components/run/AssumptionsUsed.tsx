import type { ResolvedAssumptions } from '../../api/types'
import { resolvedAssumptionRows } from '../../lib/assumptions'

/** The assumptions the run used, each resolved to the number used; values off the default say so. */
export function AssumptionsUsed({ assumptions }: { assumptions: ResolvedAssumptions }) {
  const rows = resolvedAssumptionRows(assumptions)
  const changed = rows.filter((r) => r.fallback !== null).length + assumptions.cap_rate_overrides.length
  return (
    <section className="panel" id="assumptions" aria-labelledby="assumptions-used-title">
      <div className="panel-header">
        <h2 id="assumptions-used-title">Assumptions used</h2>
        <p>{changed === 0 ? 'The server defaults.' : `${changed} set for this run; the others are the defaults.`}</p>
      </div>
      <dl className="kv assumptions-used">
        {rows.map((row) => (
          <div key={row.key} className={row.fallback !== null || (row.key === 'cap_rate_overrides' && assumptions.cap_rate_overrides.length > 0) ? 'changed' : undefined}>
            <dt>{row.label}</dt>
            <dd>
              {row.value}
              {row.fallback !== null && <span className="default-note"> (default {row.fallback})</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
