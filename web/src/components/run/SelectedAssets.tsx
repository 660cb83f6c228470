import type { AssetSelection, ProgramOutcome } from '../../api/types'
import { decimal, money } from '../../lib/format'
import { ASSET_TYPE_LABELS } from '../../lib/labels'
import { DataTable, type Column } from '../DataTable'

type Row = AssetSelection & { order: number }

const COLUMNS: Column<Row>[] = [
  { key: 'order', header: '#', value: (r) => r.order, numeric: true },
  {
    key: 'asset',
    header: 'Asset',
    className: 'col-wide',
    value: (r) => `${r.asset.name ?? ''} ${r.asset.asset_id} ${r.asset.market}`,
    render: (r) => (
      <>
        {r.asset.name ?? r.asset.asset_id}
        <span className="sub">
          {r.asset.name ? `${r.asset.asset_id} · ` : ''}
          {r.asset.market}
        </span>
      </>
    ),
  },
  { key: 'type', header: 'Type', value: (r) => ASSET_TYPE_LABELS[r.asset.asset_type], className: 'col-nowrap' },
  { key: 'noi', header: 'NOI', value: (r) => r.asset.noi, render: (r) => money(r.asset.noi), numeric: true },
  { key: 'criticality', header: 'Criticality', value: (r) => r.asset.criticality, render: (r) => decimal(r.asset.criticality), numeric: true },
  { key: 'leaseability', header: 'Leaseability', value: (r) => r.asset.leaseability_score, render: (r) => decimal(r.asset.leaseability_score), numeric: true },
  { key: 'proceeds', header: 'Proceeds', value: (r) => r.proceeds, render: (r) => money(r.proceeds), numeric: true },
  { key: 'rent', header: 'Annual rent', value: (r) => r.slb_rent, render: (r) => money(r.slb_rent), numeric: true },
]

/** The assets to sell, in selection order by default, with proceeds and leaseback rent. */
export function SelectedAssets({ outcome }: { outcome: ProgramOutcome }) {
  const rows = outcome.selected_assets.map((selection, i) => ({ ...selection, order: i + 1 }))
  const totalRent = rows.reduce((sum, r) => sum + r.slb_rent, 0)
  return (
    <section className="panel" id="assets" aria-labelledby="assets-title">
      <div className="panel-header">
        <h2 id="assets-title">Selected assets ({rows.length})</h2>
        <p>Sold and leased back; click a column to sort.</p>
      </div>
      <DataTable
        rows={rows}
        columns={COLUMNS}
        rowKey={(r) => r.asset.asset_id}
        caption="Selected assets"
        initialSort={{ key: 'order', descending: false }}
        empty="No assets were selected."
        footer={
          rows.length > 0 && (
            <tr>
              <td colSpan={6}>Total</td>
              <td className="num">{money(outcome.proceeds)}</td>
              <td className="num">{money(totalRent)}</td>
            </tr>
          )
        }
      />
    </section>
  )
}
