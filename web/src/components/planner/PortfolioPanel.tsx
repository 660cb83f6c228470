import { useId } from 'react'
import type { Asset } from '../../api/types'
import { DEMO_DESCRIPTION } from '../../lib/demo'
import { downloadText } from '../../lib/download'
import { decimal, money, moneyCompact } from '../../lib/format'
import { ASSET_TYPE_LABELS } from '../../lib/labels'
import type { PortfolioSource } from '../../lib/plannerForm'
import { portfolioCsv } from '../../lib/portfolioCsv'
import { describeProblem } from '../../lib/problems'
import { DataTable, type Column } from '../DataTable'
import { ErrorNotice } from '../Notices'

const COLUMNS: Column<Asset>[] = [
  { key: 'id', header: 'ID', value: (a) => a.asset_id },
  { key: 'name', header: 'Name', value: (a) => a.name, className: 'col-wide' },
  { key: 'type', header: 'Type', value: (a) => ASSET_TYPE_LABELS[a.asset_type], className: 'col-nowrap' },
  { key: 'market', header: 'Market', value: (a) => a.market, className: 'col-nowrap' },
  { key: 'tier', header: 'Tier', value: (a) => a.market_tier, render: (a) => a.market_tier ?? '—', numeric: true },
  { key: 'noi', header: 'NOI', value: (a) => a.noi, render: (a) => money(a.noi), numeric: true },
  { key: 'book', header: 'Book value', value: (a) => a.book_value, render: (a) => money(a.book_value), numeric: true },
  { key: 'criticality', header: 'Criticality', value: (a) => a.criticality, render: (a) => decimal(a.criticality), numeric: true },
  { key: 'leaseability', header: 'Leaseability', value: (a) => a.leaseability_score, render: (a) => decimal(a.leaseability_score), numeric: true },
]

type Props = {
  source: PortfolioSource
  assets: Asset[]
  /** False when the portfolio is too large to survive a reload of the tab. */
  kept?: boolean
  onFile: (file: File) => void
  onUseDemo: () => void
}

/** Where the assets come from (demo or upload), their problems, and the assets themselves. */
export function PortfolioPanel({ source, assets, kept = true, onFile, onUseDemo }: Props) {
  const fileId = useId()
  const markets = new Set(assets.map((a) => a.market)).size
  return (
    <section className="panel" aria-labelledby="portfolio-title">
      <div className="panel-header">
        <div>
          <h2 id="portfolio-title">Portfolio</h2>
          <p>
            {source.kind === 'demo' && <>{DEMO_DESCRIPTION}.</>}
            {source.kind === 'file' && <>Uploaded from <strong>{source.fileName}</strong>.</>}
            {source.kind === 'invalid' && <>The file <strong>{source.fileName}</strong> cannot be used.</>}
            {source.kind === 'run' && <>The portfolio of run {source.runId.slice(0, 8)}, opened from its run page.</>}
            {source.kind === 'missing' && <>The portfolio is no longer loaded.</>}
          </p>
          {!kept && (source.kind === 'file' || source.kind === 'run') && (
            <p className="small muted">At {assets.length.toLocaleString('en-US')} assets this portfolio is too large to keep if the page is reloaded; the other inputs are kept.</p>
          )}
        </div>
        <div className="file-drop">
          <div className="field">
            <label htmlFor={fileId}>Upload a portfolio (CSV or JSON)</label>
            <input
              id={fileId}
              type="file"
              accept=".csv,.json,text/csv,application/json"
              onChange={(e) => {
                const file = e.target.files?.[0]
                if (file) onFile(file)
                e.target.value = ''
              }}
            />
          </div>
          {source.kind !== 'demo' && (
            <button type="button" className="button secondary small" onClick={onUseDemo}>
              Use the demo portfolio
            </button>
          )}
          <button
            type="button"
            className="link-button small"
            onClick={() => downloadText('portfolio-template.csv', portfolioCsv(assets), 'text/csv')}
          >
            Download as CSV (template)
          </button>
        </div>
      </div>
      {source.kind === 'missing' ? (
        <ErrorNotice title={`${source.name} (${source.count.toLocaleString('en-US')} assets) was too large to keep across the reload.`} lines={[]}>
          <p className="small">Upload it again, or use the demo portfolio. The brief, the company and the other inputs were kept.</p>
        </ErrorNotice>
      ) : source.kind === 'invalid' ? (
        <ErrorNotice
          title={`${source.fileName} has ${source.problems.length === 1 ? 'a problem' : `${source.problems.length} problems`}; nothing was loaded.`}
          lines={source.problems.map(describeProblem)}
        >
          <p className="small">
            A CSV needs a header row with asset_id, asset_type, market, noi, book_value, criticality and leaseability_score; JSON is {'{"assets": [...], "corporate_state": {...}}'}.
          </p>
        </ErrorNotice>
      ) : (
        <>
          <dl className="figures">
            <div className="figure">
              <dt>Assets</dt>
              <dd className="num">{assets.length}</dd>
            </div>
            <div className="figure">
              <dt>Markets</dt>
              <dd className="num">{markets}</dd>
            </div>
            <div className="figure">
              <dt>Total NOI</dt>
              <dd className="money">{moneyCompact(assets.reduce((s, a) => s + a.noi, 0))}</dd>
            </div>
            <div className="figure">
              <dt>Book value</dt>
              <dd className="money">{moneyCompact(assets.reduce((s, a) => s + a.book_value, 0))}</dd>
            </div>
          </dl>
          <DataTable rows={assets} columns={COLUMNS} rowKey={(a) => a.asset_id} caption="Portfolio assets" filterLabel="Filter assets" tall />
        </>
      )}
    </section>
  )
}
