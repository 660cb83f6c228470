import { listScenarioSets } from '../api/client'
import type { ScenarioSetSummary } from '../api/types'
import { Link } from '../components/Link'
import { LoadMore } from '../components/LoadMore'
import { Loading, RequestErrorNotice } from '../components/Notices'
import { PageHeading } from '../components/PageHeading'
import { dateTime } from '../lib/format'
import { paths } from '../lib/router'
import { usePaged } from '../lib/usePaged'

export const SCENARIO_SETS_PAGE = 25

const loadScenarioSets = (_key: string, before: string | null) => listScenarioSets({ limit: SCENARIO_SETS_PAGE, before })
const setId = (set: ScenarioSetSummary) => set.id

export function ScenarioSetsPage() {
  const sets = usePaged('', SCENARIO_SETS_PAGE, loadScenarioSets, setId)
  return (
    <div>
      <header className="page-header">
        <div>
          <p className="eyebrow">Comparisons</p>
          <PageHeading>Scenario sets</PageHeading>
          <p className="lede">Each set runs several variants of one brief (base, conservative, aggressive…) on the same portfolio.</p>
        </div>
        <Link className="button" to={paths.planner}>
          New scenario analysis
        </Link>
      </header>
      <section className="panel">
        {sets.state === 'loading' && <Loading what="scenario sets" />}
        {sets.state === 'error' && <RequestErrorNotice error={sets.error} />}
        {sets.state === 'ready' &&
          (sets.items.length === 0 ? (
            <p className="empty">
              No scenario sets yet. On the <Link to={paths.planner}>planner</Link>, use “Run scenario analysis”.
            </p>
          ) : (
            <>
              <div className="table-scroll">
                <table className="data">
                  <caption className="visually-hidden">Scenario sets, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Created</th>
                      <th scope="col">Brief</th>
                      <th scope="col" className="num">
                        Scenarios
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {sets.items.map((set) => (
                      <tr key={set.id}>
                        <td className="col-nowrap">{dateTime(set.created_at)}</td>
                        <td>
                          <Link to={paths.scenarioSet(set.id)}>{set.brief}</Link>
                        </td>
                        <td className="num">{set.run_ids.length}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <LoadMore count={sets.items.length} noun="scenario set" hasMore={sets.hasMore} loadingMore={sets.loadingMore} error={sets.moreError} onMore={sets.loadMore} />
            </>
          ))}
      </section>
    </div>
  )
}
