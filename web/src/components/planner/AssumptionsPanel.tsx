import { useState } from 'react'
import type { AssetType, MarketTier } from '../../api/types'
import {
  ASSUMPTION_FIELDS,
  ASSUMPTION_FIELD_NAMES,
  assumptionHint,
  assumptionPlaceholder,
  assumptionsSet,
  emptyAssumptions,
  showAssumption,
  type AssumptionField,
  type AssumptionsForm,
  type CapRateOverrideRow,
} from '../../lib/assumptions'
import { ASSET_TYPE_LABELS } from '../../lib/labels'
import type { FormErrors, PlannerForm } from '../../lib/plannerForm'
import { NumberField } from './NumberField'

type Props = {
  form: PlannerForm
  errors: FormErrors
  onChange: (update: (form: PlannerForm) => PlannerForm) => void
}

const GROUPS = [
  {
    group: 'market',
    legend: 'Market',
    note: 'Price every asset for the whole run: proceeds, rent and every metric, including the reference ones.',
  },
  {
    group: 'credit',
    legend: 'Transaction and credit',
    note: 'Used by the credit view only: tax on the gain, the lease liability and the cost of the capital raised.',
  },
] as const

const TIERS: MarketTier[] = [1, 2, 3]
const ASSET_TYPES = Object.keys(ASSET_TYPE_LABELS) as AssetType[]

/** The run's market, transaction and credit assumptions; every empty field keeps the server's default. */
export function AssumptionsPanel({ form, errors, onChange }: Props) {
  const assumptions = form.assumptions
  const count = assumptionsSet(assumptions)
  const [open, setOpen] = useState(count > 0)
  const update = (change: (a: AssumptionsForm) => AssumptionsForm) => onChange((f) => ({ ...f, assumptions: change(f.assumptions) }))
  const setField = (field: AssumptionField, value: string) => update((a) => ({ ...a, fields: { ...a.fields, [field]: value } }))
  const invalid = Object.keys(errors).some((key) => key in ASSUMPTION_FIELDS || key.startsWith('cap_rate_overrides.'))

  return (
    <section className="panel assumptions-panel" aria-labelledby="assumptions-title">
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <span className="summary-head">
            <h2 id="assumptions-title">Assumptions</h2>
            {invalid ? (
              <span className="badge badge-bad">Needs attention</span>
            ) : count > 0 ? (
              <span className="badge badge-ok">{count} set</span>
            ) : (
              <span className="badge">Server defaults</span>
            )}
          </span>
          <span className="summary-note">Cap rates, transaction costs, rent, cost of debt, tax and lease terms. An empty field keeps the default shown in it.</span>
        </summary>
        <div className="assumption-groups">
          {GROUPS.map(({ group, legend, note }) => (
            <fieldset key={group} className="assumption-group">
              <legend>{legend}</legend>
              <p className="hint">{note}</p>
              <div className="form-grid">
                {ASSUMPTION_FIELD_NAMES.filter((field) => ASSUMPTION_FIELDS[field].group === group).map((field) => (
                  <NumberField
                    key={field}
                    label={ASSUMPTION_FIELDS[field].label}
                    hint={assumptionHint(field)}
                    placeholder={assumptionPlaceholder(field, assumptions)}
                    show={(v) => showAssumption(ASSUMPTION_FIELDS[field].unit, v)}
                    value={assumptions.fields[field]}
                    error={errors[field]}
                    onChange={(value) => setField(field, value)}
                  />
                ))}
              </div>
              {group === 'market' && <CapRateOverrides rows={assumptions.capRateOverrides} errors={errors} onChange={(rows) => update((a) => ({ ...a, capRateOverrides: rows }))} />}
            </fieldset>
          ))}
        </div>
        <div className="assumption-actions">
          <button type="button" className="button secondary small" disabled={count === 0} onClick={() => update(() => emptyAssumptions())}>
            Reset to defaults
          </button>
          <span className="hint">
            Rates may be typed as 25% or 0.25. Limits on lease-adjusted or covenant leverage go in the brief, e.g. “lease-adjusted leverage under 4.5x”.
          </span>
        </div>
      </details>
    </section>
  )
}

/** The cells of the cap-rate curve replaced for the run: asset type, market tier, cap rate. */
function CapRateOverrides({ rows, errors, onChange }: { rows: CapRateOverrideRow[]; errors: FormErrors; onChange: (rows: CapRateOverrideRow[]) => void }) {
  const change = (key: number, patch: Partial<CapRateOverrideRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)))
  const add = () => {
    const used = new Set(rows.map((r) => `${r.asset_type}/${r.market_tier}`))
    const free = ASSET_TYPES.flatMap((asset_type) => TIERS.map((market_tier) => ({ asset_type, market_tier }))).find((c) => !used.has(`${c.asset_type}/${c.market_tier}`))
    const cell = free ?? { asset_type: 'store' as const, market_tier: 1 as const }
    onChange([...rows, { key: Math.max(0, ...rows.map((r) => r.key)) + 1, ...cell, cap_rate: '' }])
  }
  return (
    <div className="cap-rate-overrides">
      <h3 className="label">Cap-rate overrides</h3>
      {rows.length === 0 ? (
        <p className="hint">None: every asset is priced on the engine's cap-rate curve (then shifted).</p>
      ) : (
        <div className="table-scroll">
          <table className="data compact">
            <caption className="visually-hidden">Cap-rate overrides</caption>
            <thead>
              <tr>
                <th scope="col">Asset type</th>
                <th scope="col">Tier</th>
                <th scope="col">Cap rate</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => {
                const n = i + 1
                const rateError = errors[`cap_rate_overrides.${i}.cap_rate`]
                const cellError = errors[`cap_rate_overrides.${i}.cell`]
                const errorId = `cap-rate-override-${row.key}-error`
                return (
                  <tr key={row.key}>
                    <td>
                      <select aria-label={`Asset type of override ${n}`} value={row.asset_type} aria-invalid={cellError ? true : undefined} onChange={(e) => change(row.key, { asset_type: e.target.value as AssetType })}>
                        {ASSET_TYPES.map((t) => (
                          <option key={t} value={t}>
                            {ASSET_TYPE_LABELS[t]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <select aria-label={`Market tier of override ${n}`} value={row.market_tier} onChange={(e) => change(row.key, { market_tier: Number(e.target.value) as MarketTier })}>
                        {TIERS.map((t) => (
                          <option key={t} value={t}>
                            {t}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="decimal"
                        aria-label={`Cap rate of override ${n}`}
                        placeholder="6.5%"
                        value={row.cap_rate}
                        aria-invalid={rateError ? true : undefined}
                        aria-describedby={rateError || cellError ? errorId : undefined}
                        onChange={(e) => change(row.key, { cap_rate: e.target.value })}
                      />
                      {(rateError || cellError) && (
                        <span className="field-error" id={errorId}>
                          {rateError && `Cap rate of override ${n} ${rateError}.`}
                          {rateError && cellError && ' '}
                          {cellError && `Cap-rate override ${n} ${cellError}.`}
                        </span>
                      )}
                    </td>
                    <td>
                      <button type="button" className="link-button small" aria-label={`Remove override ${n}`} onClick={() => onChange(rows.filter((r) => r.key !== row.key))}>
                        Remove
                      </button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <button type="button" className="button secondary small" onClick={add}>
        Add a cap-rate override
      </button>
    </div>
  )
}
