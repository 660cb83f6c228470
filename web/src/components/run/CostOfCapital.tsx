import type { CreditAnalysis } from '../../api/types'
import { COST_MODEL_NOTE, costReading } from '../../lib/credit'
import { isNumber, moneyCompact, percent } from '../../lib/format'

/** What the capital raised costs after tax, against borrowing at the company's after-tax cost of debt. */
export function CostOfCapital({ analysis }: { analysis: CreditAnalysis }) {
  const t = analysis.transaction
  const a = analysis.assumptions
  const sold = t.gross_proceeds > 0
  const reading = costReading(analysis)
  const rates = [
    { label: 'SLB, after tax', value: t.slb_cost_of_capital, tone: 'rate-slb' },
    { label: 'Debt, after tax', value: t.after_tax_cost_of_debt, tone: 'rate-debt' },
  ]
  const top = Math.max(0.0001, ...rates.map((r) => (isNumber(r.value) ? r.value : 0)))
  return (
    <section className="panel" id="cost-of-capital" aria-labelledby="cost-title">
      <div className="panel-header">
        <h2 id="cost-title">Cost of capital</h2>
        <p>Selling and leasing back against keeping the properties, over the {a.lease_term_years}-year lease.</p>
      </div>
      <dl className="figures cost-figures">
        <div className="figure">
          <dt>Rent yield</dt>
          <dd className="num">
            {percent(t.rent_yield, 2)}
            <span className="note">new rent / proceeds</span>
          </dd>
        </div>
        <div className="figure">
          <dt>After-tax cost of debt</dt>
          <dd className="num">
            {percent(t.after_tax_cost_of_debt, 2)}
            <span className="note">
              {percent(a.cost_of_debt, 2)} × (1 − {percent(a.tax_rate, 0)})
            </span>
          </dd>
        </div>
        <div className="figure">
          <dt>SLB after-tax cost</dt>
          <dd className="num">
            {percent(t.slb_cost_of_capital, 2)}
            <span className="note">{isNumber(t.slb_cost_of_capital) ? 'IRR of the differential' : sold ? 'no rate solves the flows' : 'nothing sold'}</span>
          </dd>
        </div>
        <div className="figure">
          <dt>NPV vs debt</dt>
          <dd className="num">
            {sold ? signedMoney(t.npv_vs_debt) : moneyCompact(null)}
            <span className="note">at {percent(t.after_tax_cost_of_debt, 2)}</span>
          </dd>
        </div>
      </dl>
      <div className="rate-bars" aria-hidden="true">
        {rates.map((r) => (
          <div key={r.label} className="rate-bar">
            <span className="rate-label">{r.label}</span>
            <span className="rate-track">
              <span className={`rate-fill ${r.tone}`} style={{ width: `${isNumber(r.value) ? Math.max(0, (r.value / top) * 100) : 0}%` }} />
            </span>
            <span className="rate-value">{percent(r.value, 2)}</span>
          </div>
        ))}
      </div>
      <p className={`notice ${reading.tone} cost-reading`}>
        <strong>{reading.title}</strong> {reading.text}
      </p>
      <p className="small muted model-note">
        <strong>Model.</strong> {COST_MODEL_NOTE}
      </p>
    </section>
  )
}

function signedMoney(value: number): string {
  return value > 0 ? `+${moneyCompact(value)}` : value < 0 ? `−${moneyCompact(-value)}` : moneyCompact(0)
}
