import type { CreditAnalysis } from '../../api/types'
import { showAssumption } from '../../lib/assumptions'
import { moneyCompact } from '../../lib/format'
import { Waterfall, type WaterfallStep } from '../charts/Waterfall'

/** Where the money goes: proceeds, tax and mortgages down to cash, then what it repays and what it costs. */
export function TransactionSection({ analysis }: { analysis: CreditAnalysis }) {
  const t = analysis.transaction
  const a = analysis.assumptions
  const steps: WaterfallStep[] = [
    { label: 'Gross proceeds', kind: 'start', value: t.gross_proceeds, tone: 'wf-total' },
    { label: 'Tax on the gain', kind: 'delta', value: -t.tax, tone: 'wf-out' },
    { label: 'Mortgage payoff', kind: 'delta', value: -t.mortgage_payoff, tone: 'wf-out' },
    { label: 'Net cash after payoff', kind: 'total', value: t.net_cash_after_payoff, tone: 'wf-subtotal' },
    { label: 'Debt repaid', kind: 'figure', value: t.debt_repaid, tone: 'wf-debt' },
    { label: 'New lease liability', kind: 'figure', value: t.lease_liability_new, tone: 'wf-lease' },
    { label: 'New rent (year 1)', kind: 'figure', value: t.new_rent, tone: 'wf-lease' },
  ]
  const rows: { group: string; items: [string, string, string?][] }[] = [
    {
      group: 'Sale',
      items: [
        ['Market value', moneyCompact(t.market_value), 'NOI at the cap rates'],
        ['Transaction costs', moneyCompact(t.market_value - t.gross_proceeds), `${showAssumption('percent', a.transaction_haircut)} haircut`],
        ['Gross proceeds', moneyCompact(t.gross_proceeds)],
        ['Book gain', moneyCompact(t.book_gain), 'over book value'],
        ['Taxable gain', moneyCompact(t.taxable_gain), 'over tax basis'],
        ['Tax', moneyCompact(t.tax), `at ${showAssumption('percent', a.tax_rate)}`],
      ],
    },
    {
      group: 'Uses',
      items: [
        ['Mortgage payoff', moneyCompact(t.mortgage_payoff), 'at closing'],
        ['Debt repaid', moneyCompact(t.debt_repaid), t.mortgage_payoff > 0 ? 'including the mortgages' : 'proceeds after tax'],
        ['Surplus cash', moneyCompact(t.surplus_cash), 'beyond net debt'],
        ['Interest after', moneyCompact(t.interest_after), `${showAssumption('percent', a.cost_of_debt)} saved on the debt repaid`],
      ],
    },
    {
      group: 'Leases',
      items: [
        ['New rent', moneyCompact(t.new_rent), 'year 1'],
        ['PV factor', `${t.pv_factor.toFixed(2)}x`, `${a.lease_term_years} years at ${showAssumption('percent', a.lease_discount_rate)}, rent ${a.rent_escalator >= 0 ? '+' : ''}${showAssumption('percent', a.rent_escalator)} a year`],
        ['Lease liability', moneyCompact(t.lease_liability_new), 'present value'],
      ],
    },
  ]
  return (
    <section className="panel" id="transaction" aria-labelledby="transaction-title">
      <div className="panel-header">
        <h2 id="transaction-title">Transaction</h2>
        <p>From gross proceeds to the cash the treasury keeps, and the lease obligations taken on.</p>
      </div>
      <div className="transaction-grid">
        <figure className="waterfall-figure">
          <Waterfall title="Transaction waterfall" steps={steps} format={moneyCompact} breakAt={4} breakLabel="Then: debt repaid and lease obligations" />
          <figcaption className="legend">
            <span className="key-wf-total">Proceeds and cash</span>
            <span className="key-wf-out">Paid out at closing</span>
            <span className="key-wf-debt">Debt repaid</span>
            <span className="key-wf-lease">Lease obligations</span>
          </figcaption>
        </figure>
        <div className="table-scroll">
          <table className="data compact transaction-figures">
            <caption className="visually-hidden">Transaction figures</caption>
            <tbody>
              {rows.map(({ group, items }) => [
                <tr key={group} className="group-row">
                  <th scope="rowgroup" colSpan={3}>
                    {group}
                  </th>
                </tr>,
                ...items.map(([label, value, note]) => (
                  <tr key={`${group}-${label}`}>
                    <th scope="row" className="row-head">
                      {label}
                    </th>
                    <td className="num">{value}</td>
                    <td className="muted small">{note}</td>
                  </tr>
                )),
              ])}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  )
}
