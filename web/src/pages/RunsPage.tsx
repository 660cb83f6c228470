import { useId, useState, type FormEvent } from 'react'
import { listRuns } from '../api/client'
import type { RunListItem, RunStatus } from '../api/types'
import { RunStatusBadge, ScenarioBadge } from '../components/Badges'
import { Link } from '../components/Link'
import { Loading, RequestErrorNotice } from '../components/Notices'
import { dateTime, truncate } from '../lib/format'
import { paths } from '../lib/router'
import { groupByScenarioSet } from '../lib/runGroups'
import { useLoader } from '../lib/useLoader'

const LIMIT = 100

/** The newest runs, of one fund when a fund id is given. */
const loadRuns = (fundId: string) => listRuns({ fundId: fundId || null, limit: LIMIT })

export function RunsPage() {
  const [fund, setFund] = useState('')
  const [appliedFund, setAppliedFund] = useState('')
  const [status, setStatus] = useState<RunStatus | 'all'>('all')
  const fundId = useId()
  const statusId = useId()
  const [runs, reload] = useLoader(appliedFund.trim(), loadRuns)

  const apply = (e: FormEvent) => {
    e.preventDefault()
    setAppliedFund(fund)
  }

  return (
    <div>
      <header className="page-header">
        <div>
          <p className="eyebrow">History</p>
          <h1>Runs</h1>
          <p className="lede">Every program run, newest first. Scenario analyses are grouped by their set.</p>
        </div>
        <Link className="button" to={paths.planner}>
          New run
        </Link>
      </header>
      <section className="panel">
        <form className="table-tools" onSubmit={apply}>
          <div className="actions filters">
            <div className="field">
              <label htmlFor={fundId}>Fund ID</label>
              <input id={fundId} type="search" value={fund} placeholder="All funds" onChange={(e) => setFund(e.target.value)} />
            </div>
            <button type="submit" className="button secondary small">
              Apply
            </button>
            <div className="field">
              <label htmlFor={statusId}>Status</label>
              <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value as RunStatus | 'all')}>
                <option value="all">All</option>
                <option value="completed">Completed</option>
                <option value="failed">Failed</option>
              </select>
            </div>
          </div>
          <button type="button" className="link-button small" onClick={reload}>
            Refresh
          </button>
        </form>
        {runs.state === 'loading' && <Loading what="runs" />}
        {runs.state === 'error' && <RequestErrorNotice error={runs.error} />}
        {runs.state === 'ready' && <RunsTable runs={runs.data.filter((r) => status === 'all' || r.status === status)} filtered={appliedFund.trim() !== '' || status !== 'all'} />}
      </section>
    </div>
  )
}

function RunsTable({ runs, filtered }: { runs: RunListItem[]; filtered: boolean }) {
  if (runs.length === 0) {
    return (
      <p className="empty">
        {filtered ? 'No runs match these filters.' : 'No runs yet.'} <Link to={paths.planner}>Plan a program</Link> to create one.
      </p>
    )
  }
  return (
    <div className="table-scroll">
      <table className="data">
        <caption className="visually-hidden">Runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Brief</th>
            <th scope="col">Scenario</th>
            <th scope="col">Fund</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {groupByScenarioSet(runs).map((group) =>
            group.setId === null ? (
              <RunRow key={group.runs[0].run_id} run={group.runs[0]} />
            ) : (
              <ScenarioGroup key={group.setId} setId={group.setId} runs={group.runs} />
            ),
          )}
        </tbody>
      </table>
    </div>
  )
}

function ScenarioGroup({ setId, runs }: { setId: string; runs: RunListItem[] }) {
  return (
    <>
      <tr className="group-row">
        <td colSpan={5}>
          <strong>Scenario set</strong> · {runs.length} scenario{runs.length > 1 ? 's' : ''} ·{' '}
          <Link to={paths.scenarioSet(setId)}>Compare scenarios</Link>
        </td>
      </tr>
      {runs.map((run) => (
        <RunRow key={run.run_id} run={run} inGroup />
      ))}
    </>
  )
}

function RunRow({ run, inGroup }: { run: RunListItem; inGroup?: boolean }) {
  return (
    <tr className={inGroup ? 'in-group' : undefined}>
      <td className="col-nowrap">
        {dateTime(run.created_at)}
      </td>
      <td>
        <Link to={paths.run(run.run_id)}>{truncate(run.program_description, 110)}</Link>
      </td>
      <td>
        <ScenarioBadge label={run.scenario_label} kind={run.scenario_kind} />
      </td>
      <td>{run.fund_id ?? <span className="muted">—</span>}</td>
      <td>
        <RunStatusBadge status={run.status} />
      </td>
    </tr>
  )
}
