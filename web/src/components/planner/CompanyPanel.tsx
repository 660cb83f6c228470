import { useId } from 'react'
import {
  NUMBER_FIELDS,
  type CorporateField,
  type FormErrors,
  type OverrideField,
  type PlannerForm,
} from '../../lib/plannerForm'
import { NumberField } from './NumberField'

const CORPORATE_FIELDS: CorporateField[] = ['net_debt', 'ebitda', 'interest_expense', 'lease_expense']
const OVERRIDE_FIELDS: OverrideField[] = ['target_amount_override', 'floor_override', 'max_leverage_override', 'min_coverage_override']

type Props = {
  form: PlannerForm
  errors: FormErrors
  onChange: (update: (form: PlannerForm) => PlannerForm) => void
  /** The funds the signed-in key is limited to: the Fund ID is picked from them. */
  funds?: string[] | null
}

/** The company's financial position, and the advanced overrides and fund. */
export function CompanyPanel({ form, errors, onChange, funds = null }: Props) {
  const fundFieldId = useId()
  const setCount = OVERRIDE_FIELDS.filter((f) => form.overrides[f].trim() !== '').length + (form.fundId.trim() !== '' ? 1 : 0)
  return (
    <section className="panel" aria-labelledby="company-title">
      <div className="panel-header">
        <h2 id="company-title">Company</h2>
        <p>Financial position before the program.</p>
      </div>
      <div className="form-grid">
        {CORPORATE_FIELDS.map((field) => (
          <NumberField
            key={field}
            {...NUMBER_FIELDS[field]}
            value={form.corporate[field]}
            error={errors[field]}
            onChange={(value) => onChange((f) => ({ ...f, corporate: { ...f.corporate, [field]: value } }))}
          />
        ))}
      </div>
      <details className="advanced">
        <summary>
          Advanced: overrides and fund
          {setCount > 0 && <span className="summary-note"> · {setCount} set</span>}
        </summary>
        <div className="form-grid">
          {OVERRIDE_FIELDS.map((field) => (
            <NumberField
              key={field}
              {...NUMBER_FIELDS[field]}
              placeholder="From the brief"
              value={form.overrides[field]}
              error={errors[field]}
              onChange={(value) => onChange((f) => ({ ...f, overrides: { ...f.overrides, [field]: value } }))}
            />
          ))}
          {funds ? (
            <div className="field">
              <label htmlFor={fundFieldId}>Fund ID</label>
              <select id={fundFieldId} value={funds.includes(form.fundId.trim()) ? form.fundId.trim() : funds[0]} onChange={(e) => onChange((f) => ({ ...f, fundId: e.target.value }))}>
                {funds.map((fund) => (
                  <option key={fund} value={fund}>
                    {fund}
                  </option>
                ))}
              </select>
              <span className="hint">Your key runs for {funds.length === 1 ? 'this fund only' : `these ${funds.length} funds only`}</span>
            </div>
          ) : (
            <div className="field">
              <label htmlFor={fundFieldId}>Fund ID</label>
              <input id={fundFieldId} type="text" value={form.fundId} placeholder="Optional" onChange={(e) => onChange((f) => ({ ...f, fundId: e.target.value }))} />
              <span className="hint">Groups runs; filter by it on the Runs page</span>
            </div>
          )}
        </div>
      </details>
    </section>
  )
}
