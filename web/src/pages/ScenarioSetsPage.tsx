import { listScenarioSets } from '../api/client'
import { Link } from '../components/Link'
import { Loading, RequestErrorNotice } from '../components/Notices'
import { dateTime } from '../lib/format'
import { paths } from '../lib/router'
import { useLoader } from '../lib/useLoader'

const loadScenarioSets = () => listScenarioSets(50)

export function ScenarioSetsPage() {
  const [sets] = useLoader('', loadScenarioSets)
  return (
    <div>
      <header className="page-header">
        <div>
          <p className="eyebrow">Comparisons</p>
          <h1>Scenario sets</h1>
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
          (sets.data.length === 0 ? (
            <p className="empty">
              No scenario sets yet. On the <Link to={paths.planner}>planner</Link>, use “Run scenario analysis”.
            </p>
          ) : (
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
                {sets.data.map((set) => (
                  <tr key={set.id}>
                    <td>{dateTime(set.created_at)}</td>
                    <td>
                      <Link to={paths.scenarioSet(set.id)}>{set.brief}</Link>
                    </td>
                    <td className="num">{set.run_ids.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </section>
    </div>
  )
}
