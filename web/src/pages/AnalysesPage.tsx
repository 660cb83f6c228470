// Analyses of a run (docs/analyses.md): the frontier of proceeds against a credit metric, and a
// sensitivity grid over two parameters. Both start from the run's request with the spec that
// ran; clicking a point or a cell runs it and opens the run.
import { useEffect, useState } from 'react'
import { createRun, getRun, runSensitivity, traceFrontier } from '../api/client'
import { errorLines } from '../api/errors'
import type { Frontier, FrontierMetric, FrontierPoint, ProgramRequest, RunRecord, SensitivityCell, SensitivityGrid, SensitivityParameter } from '../api/types'
import { FrontierChart } from '../components/charts/FrontierChart'
import { Link } from '../components/Link'
import { ErrorNotice, LoadFailed, Loading, RequestErrorNotice } from '../components/Notices'
import { PageHeading } from '../components/PageHeading'
import {
  METRICS,
  PARAMETERS,
  analysisBase,
  cellRunRequest,
  defaultAxisValues,
  formatMetric,
  formatParameter,
  heat,
  metricLabel,
  parameterLabel,
  parseValues,
  pointRunRequest,
} from '../lib/analyses'
import { moneyCompact, percent, ratio } from '../lib/format'
import { navigate, paths } from '../lib/router'
import { runBlockedReason, useIdentity } from '../lib/session'
import { useDocumentTitle } from '../lib/title'
import { useLoader } from '../lib/useLoader'

export function AnalysesPage({ runId }: { runId: string }) {
  const [run, reload] = useLoader(runId, getRun)
  if (run.state === 'loading') return <Loading what="the run" />
  if (run.state === 'error') {
    return (
      <LoadFailed error={run.error} onRetry={reload}>
        or go back to the <Link to={paths.runs}>runs</Link>.
      </LoadFailed>
    )
  }
  const record = run.data
  if (!record.request || !record.response) {
    return (
      <div className="panel">
        <PageHeading>Analyses</PageHeading>
        <p>This run has no stored request or result to analyse. Open a completed run.</p>
      </div>
    )
  }
  return <Analyses run={record} request={record.request} />
}

/** Work in flight, or how it ended. */
type Job<T> = { kind: 'idle' } | { kind: 'running'; started: number } | { kind: 'failed'; error: unknown } | { kind: 'done'; data: T }

/** Opening a point or cell as a run. */
type Opening = { kind: 'idle' } | { kind: 'running'; what: string } | { kind: 'failed'; error: unknown } | { kind: 'run-failed'; runId: string; lines: string[] }

function Analyses({ run, request }: { run: RunRecord; request: ProgramRequest }) {
  const response = run.response!
  useDocumentTitle('Analyses — Run')
  const notAllowed = runBlockedReason(useIdentity())
  const base = analysisBase(request, response.selector_spec)
  const used = response.credit_analysis?.assumptions ?? null
  const [opening, setOpening] = useState<Opening>({ kind: 'idle' })

  const open = async (what: string, body: ProgramRequest) => {
    setOpening({ kind: 'running', what })
    try {
      const created = await createRun(body, run.fund_id)
      if (created.status === 'completed') navigate(paths.run(created.run_id))
      else setOpening({ kind: 'run-failed', runId: created.run_id, lines: errorLines(created.error) })
    } catch (error) {
      setOpening({ kind: 'failed', error })
    }
  }

  return (
    <article className="analyses">
      <header className="page-header">
        <div>
          <p className="eyebrow">
            Analyses · <Link to={paths.run(run.run_id)}>back to the run</Link>
          </p>
          <PageHeading>How much, at what cost?</PageHeading>
          <p className="lede">“{run.program_description}”</p>
          <p className="small muted">
            Both analyses start from this run’s request and the spec that ran; nothing is stored until you open a point or a cell as a run.
          </p>
        </div>
      </header>
      {notAllowed && <p className="small muted run-blocked">{notAllowed}</p>}
      {opening.kind === 'running' && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Running {opening.what}…
        </p>
      )}
      {opening.kind === 'failed' && <RequestErrorNotice error={opening.error} assets={request.assets} />}
      {opening.kind === 'run-failed' && (
        <ErrorNotice title="The run failed validation." lines={opening.lines}>
          <p className="small">
            The failed run was saved: <Link to={paths.run(opening.runId)}>view it</Link>.
          </p>
        </ErrorNotice>
      )}
      <div className="stack">
        <FrontierSection base={base} fundId={run.fund_id} disabled={notAllowed} onOpen={(frontier, point) => open('the frontier point', pointRunRequest(base, frontier, point))} />
        <GridSection
          base={base}
          fundId={run.fund_id}
          disabled={notAllowed}
          defaults={(parameter) => defaultAxisValues(parameter, response.selector_spec, used)}
          onOpen={(grid, cell) => open('the grid cell', cellRunRequest(base, grid, cell))}
        />
      </div>
    </article>
  )
}

/** A spinner with the seconds elapsed, shown once work has run for a second. */
function Progress({ started, what }: { started: number; what: string }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 250)
    return () => window.clearInterval(timer)
  }, [])
  const seconds = Math.floor((now - started) / 1000)
  return (
    <p className="muted analysis-progress" role="status">
      <span className="spinner" aria-hidden="true" /> {what}…{seconds >= 1 && ` ${seconds} s`}
    </p>
  )
}

type FrontierProps = {
  base: ProgramRequest
  fundId: string | null
  disabled: string | null
  onOpen: (frontier: Frontier, point: FrontierPoint) => void
}

function FrontierSection({ base, fundId, disabled, onOpen }: FrontierProps) {
  const [metric, setMetric] = useState<FrontierMetric>('new_rent')
  const [points, setPoints] = useState('20')
  const [job, setJob] = useState<Job<Frontier>>({ kind: 'idle' })
  const count = Number(points)
  const pointsError = Number.isInteger(count) && count >= 2 && count <= 50 ? null : 'A whole number from 2 to 50.'

  const trace = async () => {
    setJob({ kind: 'running', started: Date.now() })
    try {
      const data = await traceFrontier({ ...base, metric, points: count }, fundId)
      setJob({ kind: 'done', data })
    } catch (error) {
      setJob({ kind: 'failed', error })
    }
  }

  return (
    <section className="panel" aria-labelledby="frontier-heading">
      <h2 id="frontier-heading">Proceeds frontier</h2>
      <p className="small muted">
        The most gross proceeds for each ceiling on a metric, under every other limit and filter of the spec. Each point is an exact optimum; the
        target is drawn, not imposed.
      </p>
      <form
        className="analysis-controls"
        onSubmit={(e) => {
          e.preventDefault()
          if (pointsError === null) void trace()
        }}
      >
        <div className="field">
          <label htmlFor="frontier-metric">Metric</label>
          <select id="frontier-metric" value={metric} onChange={(e) => setMetric(e.target.value as FrontierMetric)}>
            {METRICS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="frontier-points">Points</label>
          <input id="frontier-points" inputMode="numeric" value={points} onChange={(e) => setPoints(e.target.value)} aria-invalid={pointsError !== null} />
          {pointsError && <span className="field-error">{pointsError}</span>}
        </div>
        <button type="submit" className="button" disabled={job.kind === 'running' || disabled !== null || pointsError !== null} title={disabled ?? undefined}>
          Trace frontier
        </button>
      </form>
      {job.kind === 'running' && <Progress started={job.started} what="Tracing the frontier" />}
      {job.kind === 'failed' && <RequestErrorNotice error={job.error} assets={base.assets} />}
      {job.kind === 'done' && <FrontierResult frontier={job.data} disabled={disabled} onOpen={onOpen} />}
    </section>
  )
}

function FrontierResult({ frontier, disabled, onOpen }: { frontier: Frontier; disabled: string | null; onOpen: FrontierProps['onOpen'] }) {
  const metric = frontier.metric
  const format = (v: number | null) => formatMetric(metric, v)
  return (
    <div className="frontier-result">
      <FrontierChart frontier={frontier} onSelect={disabled === null ? (point) => onOpen(frontier, point) : undefined} />
      <p className="small muted">
        {frontier.points.length} point{frontier.points.length === 1 ? '' : 's'} from {frontier.solves} exact solves
        {frontier.proven ? ', all proven optimal' : ', not all proven (node budget reached)'}. Current program: {moneyCompact(frontier.current.proceeds)} at{' '}
        {format(frontier.current.metric_value)}; before any sale {format(frontier.metric_before)}
        {frontier.limit !== null && `; spec limit ${format(frontier.limit)}`}.
      </p>
      {frontier.notes.map((note) => (
        <p key={note} className="notice small">
          {note}
        </p>
      ))}
      <table className="data-table frontier-points">
        <caption className="visually-hidden">Frontier points</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col" className="num">
              Proceeds
            </th>
            <th scope="col" className="num">
              {metricLabel(metric)}
            </th>
            <th scope="col" className="num">
              Ceiling
            </th>
            <th scope="col" className="num">
              Assets
            </th>
            <th scope="col">Proven</th>
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {frontier.points.map((point, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td className="num">{moneyCompact(point.proceeds)}</td>
              <td className="num">{format(point.metric_value)}</td>
              <td className="num">{format(point.level)}</td>
              <td className="num">{point.assets_sold}</td>
              <td>{point.proven ? 'yes' : 'no'}</td>
              <td>
                <button type="button" className="link-button" disabled={disabled !== null} title={disabled ?? undefined} onClick={() => onOpen(frontier, point)}>
                  Open as run
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

type GridProps = {
  base: ProgramRequest
  fundId: string | null
  disabled: string | null
  defaults: (parameter: SensitivityParameter) => number[]
  onOpen: (grid: SensitivityGrid, cell: SensitivityCell) => void
}

type AxisInput = { parameter: SensitivityParameter; text: string }

function GridSection({ base, fundId, disabled, defaults, onOpen }: GridProps) {
  const axisFor = (parameter: SensitivityParameter): AxisInput => ({ parameter, text: defaults(parameter).join(', ') })
  const [axes, setAxes] = useState<[AxisInput, AxisInput]>(() => [axisFor('cap_rate_shift_bps'), axisFor('target_amount')])
  const [job, setJob] = useState<Job<SensitivityGrid>>({ kind: 'idle' })
  const parsed = axes.map((a) => parseValues(a.text))
  const problems = axes.map((a, i) => {
    const values = parsed[i]
    if (values === null) return 'Numbers separated by commas.'
    if (values.length < 2 || values.length > 9) return '2 to 9 values.'
    if (i === 1 && a.parameter === axes[0].parameter) return 'Pick a parameter other than the rows’.'
    return null
  })
  const valid = problems.every((p) => p === null)

  const setAxis = (i: 0 | 1, next: AxisInput) => setAxes((current) => (i === 0 ? [next, current[1]] : [current[0], next]))

  const runGrid = async () => {
    setJob({ kind: 'running', started: Date.now() })
    try {
      const data = await runSensitivity({ ...base, axes: axes.map((a, i) => ({ parameter: a.parameter, values: parsed[i] ?? [] })) }, fundId)
      setJob({ kind: 'done', data })
    } catch (error) {
      setJob({ kind: 'failed', error })
    }
  }

  return (
    <section className="panel" aria-labelledby="grid-heading">
      <h2 id="grid-heading">Sensitivity grid</h2>
      <p className="small muted">
        The run’s program ({base.selection_strategy ?? 'greedy'}) for every combination of two parameters, before any revision. Shading follows proceeds;
        ✗ marks a cell that misses the target or a limit.
      </p>
      <form
        className="analysis-controls"
        onSubmit={(e) => {
          e.preventDefault()
          if (valid) void runGrid()
        }}
      >
        {([0, 1] as const).map((i) => (
          <fieldset key={i} className="axis-input">
            <legend>{i === 0 ? 'Rows' : 'Columns'}</legend>
            <div className="field">
              <label htmlFor={`axis-${i}-parameter`}>Parameter</label>
              <select id={`axis-${i}-parameter`} value={axes[i].parameter} onChange={(e) => setAxis(i, axisFor(e.target.value as SensitivityParameter))}>
                {PARAMETERS.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`axis-${i}-values`}>Values</label>
              <input id={`axis-${i}-values`} value={axes[i].text} onChange={(e) => setAxis(i, { ...axes[i], text: e.target.value })} aria-invalid={problems[i] !== null} />
              {problems[i] && <span className="field-error">{problems[i]}</span>}
            </div>
          </fieldset>
        ))}
        <button type="submit" className="button" disabled={job.kind === 'running' || disabled !== null || !valid} title={disabled ?? undefined}>
          Run grid
        </button>
      </form>
      {job.kind === 'running' && <Progress started={job.started} what="Running the grid" />}
      {job.kind === 'failed' && <RequestErrorNotice error={job.error} assets={base.assets} />}
      {job.kind === 'done' && <HeatMap grid={job.data} disabled={disabled} onOpen={onOpen} />}
    </section>
  )
}

function HeatMap({ grid, disabled, onOpen }: { grid: SensitivityGrid; disabled: string | null; onOpen: GridProps['onOpen'] }) {
  const [rows, cols] = grid.axes
  const proceeds = grid.cells.map((c) => c.proceeds)
  const low = Math.min(...proceeds)
  const high = Math.max(...proceeds)
  const shade = (value: number) => (high > low ? (value - low) / (high - low) : 1)
  return (
    <div className="heatmap-wrap">
      <table className="heatmap">
        <caption>
          Rows: {parameterLabel(rows.parameter)} · columns: {parameterLabel(cols.parameter)} · ◆ the run’s own values
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{parameterLabel(rows.parameter)}</span>
            </th>
            {cols.values.map((value, k) => (
              <th key={k} scope="col" className="num">
                {formatParameter(cols.parameter, value)}
                {grid.base.col === k && ' ◆'}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.values.map((value, i) => (
            <tr key={i}>
              <th scope="row" className="num">
                {formatParameter(rows.parameter, value)}
                {grid.base.row === i && ' ◆'}
              </th>
              {grid.cells
                .filter((c) => c.row === i)
                .map((cell) => {
                  const isBase = grid.base.row === cell.row && grid.base.col === cell.col
                  const t = shade(cell.proceeds)
                  return (
                    <td key={cell.col} className={`heat-cell${cell.feasible ? '' : ' infeasible'}${isBase ? ' base' : ''}`} style={{ background: heat(t) }}>
                      <button
                        type="button"
                        className={t > 0.55 ? 'on-dark' : undefined}
                        disabled={disabled !== null}
                        title={disabled ?? 'Open this cell as a run'}
                        onClick={() => onOpen(grid, cell)}
                        aria-label={`${formatParameter(rows.parameter, value)}, ${formatParameter(cols.parameter, cols.values[cell.col])}: ${moneyCompact(cell.proceeds)}${cell.feasible ? '' : ', infeasible'}. Open as a run`}
                      >
                        <span className="heat-proceeds">
                          {moneyCompact(cell.proceeds)}
                          {!cell.feasible && ' ✗'}
                        </span>
                        <span className="heat-detail">
                          {cell.assets_sold} assets · {ratio(cell.lease_adjusted_leverage)} lease-adj.
                        </span>
                        <span className="heat-detail">{cell.after_tax_cost === null ? 'cost n/m' : `${percent(cell.after_tax_cost)} after tax`}</span>
                      </button>
                    </td>
                  )
                })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
