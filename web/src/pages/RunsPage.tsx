import { useId, useState, type FormEvent } from 'react'
import { listFunds, listRuns } from '../api/client'
import type { RunListItem } from '../api/types'
import { OutcomeBadge, RunStatusBadge, ScenarioBadge } from '../components/Badges'
import { Link } from '../components/Link'
import { LoadMore } from '../components/LoadMore'
import { Loading, RequestErrorNotice } from '../components/Notices'
import { PageHeading } from '../components/PageHeading'
import { dateTime, moneyCompact, percent, truncate } from '../lib/format'
import { strategyLabel } from '../lib/labels'
import { paths } from '../lib/router'
import { groupByScenarioSet } from '../lib/runGroups'
import { useLoader } from '../lib/useLoader'
import { usePaged } from '../lib/usePaged'

export const RUNS_PAGE = 50

/** The fund filter as applied: a whole fund id picked from the list, or the start of one. */
type FundFilter = { exact: boolean; text: string }

const loadRuns = (key: string, before: string | null) => {
  const filter = JSON.parse(key) as FundFilter
  const text = filter.text.trim()
  return listRuns({
    fundId: filter.exact && text ? text : null,
    fundPrefix: !filter.exact && text ? text : null,
    limit: RUNS_PAGE,
    before,
  })
}
const runId = (run: RunListItem) => run.run_id
const loadFunds = () => listFunds()

type Shown = 'all' | 'feasible' | 'infeasible' | 'failed'

function matches(run: RunListItem, shown: Shown): boolean {
  if (shown === 'all') return true
  if (shown === 'failed') return run.status === 'failed'
  if (shown === 'feasible') return run.outcome_status === 'ok'
  return run.status === 'completed' && run.outcome_status !== 'ok'
}

export function RunsPage() {
  const [fund, setFund] = useState('')
  const [applied, setApplied] = useState<FundFilter>({ exact: false, text: '' })
  const [shown, setShown] = useState<Shown>('all')
  const fundFieldId = useId()
  const fundListId = useId()
  const fundHintId = useId()
  const shownId = useId()
  const [funds] = useLoader('funds', loadFunds)
  const fundIds = funds.state === 'ready' ? funds.data : []
  const runs = usePaged(JSON.stringify(applied), RUNS_PAGE, loadRuns, runId)

  const apply = (text: string) => setApplied({ exact: fundIds.includes(text.trim()), text })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    apply(fund)
  }
  const filtered = applied.text.trim() !== '' || shown !== 'all'

  return (
    <div>
      <header className="page-header">
        <div>
          <p className="eyebrow">History</p>
          <PageHeading>Runs</PageHeading>
          <p className="lede">Every program run, newest first. Scenario analyses are grouped by their set.</p>
        </div>
        <Link className="button" to={paths.planner}>
          New run
        </Link>
      </header>
      <section className="panel">
        <form className="table-tools" onSubmit={submit}>
          <div className="actions filters">
            <div className="field fund-filter">
              <label htmlFor={fundFieldId}>Fund</label>
              <input
                id={fundFieldId}
                type="search"
                list={fundListId}
                value={fund}
                placeholder="All funds"
                autoComplete="off"
                aria-describedby={fundHintId}
                title="Pick a fund, or type the start of a fund id and press Apply"
                onChange={(e) => {
                  setFund(e.target.value)
                  // Picking a fund from the list applies it at once; typing waits for Apply.
                  if (fundIds.includes(e.target.value) || e.target.value === '') apply(e.target.value)
                }}
              />
              <datalist id={fundListId}>
                {fundIds.map((id) => (
                  <option key={id} value={id} />
                ))}
              </datalist>
            </div>
            <button type="submit" className="button secondary small">
              Apply
            </button>
            <div className="field">
              <label htmlFor={shownId}>Show</label>
              <select id={shownId} value={shown} onChange={(e) => setShown(e.target.value as Shown)}>
                <option value="all">All runs</option>
                <option value="feasible">Feasible</option>
                <option value="infeasible">Infeasible</option>
                <option value="failed">Failed</option>
              </select>
            </div>
          </div>
          <button type="button" className="link-button small" onClick={runs.reload}>
            Refresh
          </button>
        </form>
        <p className="small muted filter-note" id={fundHintId}>
          {fundIds.length > 0 ? `Pick one of ${fundIds.length} fund${fundIds.length === 1 ? '' : 's'}, or type the start of an id to see every fund that begins with it.` : 'Type the start of a fund id to see every fund that begins with it.'}
        </p>
        {applied.text.trim() !== '' && (
          <p className="small muted filter-note">
            {applied.exact ? `Fund ${applied.text.trim()}` : `Funds starting with “${applied.text.trim()}”`} ·{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setFund('')
                apply('')
              }}
            >
              Show all funds
            </button>
          </p>
        )}
        {runs.state === 'loading' && <Loading what="runs" />}
        {runs.state === 'error' && <RequestErrorNotice error={runs.error} />}
        {runs.state === 'ready' && (
          <>
            <RunsTable runs={runs.items.filter((r) => matches(r, shown))} filtered={filtered} />
            <LoadMore count={runs.items.length} noun="run" hasMore={runs.hasMore} loadingMore={runs.loadingMore} error={runs.moreError} onMore={runs.loadMore} />
          </>
        )}
      </section>
    </div>
  )
}

function RunsTable({ runs, filtered }: { runs: RunListItem[]; filtered: boolean }) {
  // Who ran what: only once some run has a creator (runs of an open, key-less server have none).
  const showRunBy = runs.some((r) => r.created_by !== null)
  if (runs.length === 0) {
    return (
      <p className="empty">
        {filtered ? 'No runs match these filters.' : 'No runs yet.'} <Link to={paths.planner}>Plan a program</Link> to create one.
      </p>
    )
  }
  return (
    <div className="table-scroll">
      <table className="data runs-table">
        <caption className="visually-hidden">Runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Brief</th>
            <th scope="col">Scenario</th>
            <th scope="col">Fund</th>
            {showRunBy && <th scope="col">Run by</th>}
            <th scope="col">Strategy</th>
            <th scope="col" className="num">
              Target
            </th>
            <th scope="col" className="num">
              Proceeds
            </th>
            <th scope="col">Feasibility</th>
          </tr>
        </thead>
        <tbody>
          {groupByScenarioSet(runs).map((group) =>
            group.setId === null ? (
              <RunRow key={group.runs[0].run_id} run={group.runs[0]} showRunBy={showRunBy} />
            ) : (
              <ScenarioGroup key={group.setId} setId={group.setId} runs={group.runs} showRunBy={showRunBy} />
            ),
          )}
        </tbody>
      </table>
    </div>
  )
}

function ScenarioGroup({ setId, runs, showRunBy }: { setId: string; runs: RunListItem[]; showRunBy: boolean }) {
  return (
    <>
      <tr className="group-row">
        <td colSpan={showRunBy ? 9 : 8}>
          <strong>Scenario set</strong> · {runs.length} scenario{runs.length > 1 ? 's' : ''} ·{' '}
          <Link to={paths.scenarioSet(setId)}>Compare scenarios</Link>
        </td>
      </tr>
      {runs.map((run) => (
        <RunRow key={run.run_id} run={run} inGroup showRunBy={showRunBy} />
      ))}
    </>
  )
}

const dash = <span className="muted">—</span>

/** "2 Dec 2026" over "15:59": a narrow column. */
function CreatedAt({ iso }: { iso: string }) {
  const [day, hour] = dateTime(iso).split(', ')
  return (
    <time dateTime={iso}>
      {day}
      {hour && <span className="sub">{hour}</span>}
    </time>
  )
}

function RunRow({ run, inGroup, showRunBy }: { run: RunListItem; inGroup?: boolean; showRunBy: boolean }) {
  const share = run.proceeds !== null && run.target_amount ? run.proceeds / run.target_amount : null
  return (
    <tr className={inGroup ? 'in-group' : undefined}>
      <td className="col-nowrap">
        <CreatedAt iso={run.created_at} />
      </td>
      <td className="col-brief">
        <Link to={paths.run(run.run_id)}>{truncate(run.program_description, 110)}</Link>
      </td>
      <td>
        <ScenarioBadge label={run.scenario_label} kind={run.scenario_kind} />
      </td>
      <td className="col-nowrap">{run.fund_id ?? dash}</td>
      {showRunBy && <td className="col-nowrap">{run.created_by ?? dash}</td>}
      <td className="col-nowrap">{run.status === 'completed' ? strategyLabel(run.selection_strategy) : dash}</td>
      <td className="num">{run.target_amount === null ? dash : moneyCompact(run.target_amount)}</td>
      <td className="num">
        {run.proceeds === null ? (
          dash
        ) : (
          <>
            {moneyCompact(run.proceeds)}
            {share !== null && <span className="sub">{percent(share, 0)} of target</span>}
          </>
        )}
      </td>
      <td>{run.status === 'failed' ? <RunStatusBadge status={run.status} /> : run.outcome_status ? <OutcomeBadge status={run.outcome_status} /> : dash}</td>
    </tr>
  )
}
