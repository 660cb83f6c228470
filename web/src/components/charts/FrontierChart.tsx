// The proceeds frontier in plain SVG: gross proceeds across, the metric up, each point an exact
// optimum joined to the next by a guide line; the run's own program is a diamond, the target a
// dashed vertical line, the spec's limit a red horizontal one. Points are buttons: clicking one
// (or Enter on it) opens it as a run.
import type { KeyboardEvent } from 'react'
import type { Frontier, FrontierPoint } from '../../api/types'
import { formatMetric, metricLabel } from '../../lib/analyses'
import { isNumber, moneyCompact } from '../../lib/format'

const WIDTH = 720
const HEIGHT = 330
const MARGIN = { top: 18, right: 24, bottom: 46, left: 70 }
const TICKS = 4

/** A tick step of 1, 2 or 5 × 10^k covering `span` in about `TICKS` steps. */
function niceStep(span: number): number {
  if (!(span > 0)) return 1
  const raw = span / TICKS
  const power = 10 ** Math.floor(Math.log10(raw))
  const unit = raw / power
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power
}

type Props = {
  frontier: Frontier
  /** Called with a clicked point; points are not interactive without it. */
  onSelect?: (point: FrontierPoint) => void
}

export function FrontierChart({ frontier, onSelect }: Props) {
  const { points, current, metric } = frontier
  const xs = [...points.map((p) => p.proceeds), current.proceeds, frontier.target_amount]
  const ys = [...points.map((p) => p.metric_value), current.metric_value, frontier.limit, frontier.metric_before].filter(isNumber)
  const xStep = niceStep(Math.max(...xs, 1))
  const xTop = Math.ceil((Math.max(...xs, 1) * 1.04) / xStep) * xStep
  const yLow = Math.min(0, ...ys)
  const yStep = niceStep(Math.max(...ys, 0) - yLow || 1)
  const yTop = Math.max(yStep, Math.ceil((Math.max(...ys, 0) * 1.06) / yStep) * yStep)
  const yBottom = Math.floor(yLow / yStep) * yStep
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const x = (v: number) => MARGIN.left + (v / xTop) * plotW
  const y = (v: number) => MARGIN.top + plotH - ((v - yBottom) / (yTop - yBottom)) * plotH
  const format = (v: number | null) => formatMetric(metric, v)

  // Points joined by straight lines: between two sampled ceilings the frontier may hold more
  // programs (a finer sweep shows them), so the line reads as a guide, not as a claim.
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.proceeds).toFixed(1)},${y(p.metric_value).toFixed(1)}`).join(' ')
  const xTicks = Array.from({ length: Math.round(xTop / xStep) + 1 }, (_, i) => i * xStep)
  const yTicks = Array.from({ length: Math.round((yTop - yBottom) / yStep) + 1 }, (_, i) => yBottom + i * yStep)
  const title = `Most gross proceeds for each ceiling on ${metricLabel(metric).toLowerCase()}`
  const activate = (point: FrontierPoint) => (event: KeyboardEvent<SVGGElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      onSelect?.(point)
    }
  }

  return (
    <svg className="chart frontier-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={title}>
      <title>{title}</title>
      {yTicks.map((tick) => (
        <g key={`y${tick}`}>
          <line className="grid" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} />
          <text x={MARGIN.left - 6} y={y(tick) + 4} textAnchor="end">
            {format(tick)}
          </text>
        </g>
      ))}
      {xTicks.map((tick) => (
        <text key={`x${tick}`} x={x(tick)} y={HEIGHT - MARGIN.bottom + 16} textAnchor="middle">
          {moneyCompact(tick)}
        </text>
      ))}
      <line className="axis" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(yBottom)} y2={y(yBottom)} />
      <line className="axis" x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={y(yBottom)} />
      <text x={MARGIN.left + plotW / 2} y={HEIGHT - 8} textAnchor="middle">
        Gross proceeds
      </text>
      <text transform={`translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)`} textAnchor="middle">
        {metricLabel(metric)}
      </text>
      {frontier.limit !== null && (
        <g className="frontier-limit">
          <line className="limit" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(frontier.limit)} y2={y(frontier.limit)} />
          <text x={WIDTH - MARGIN.right} y={y(frontier.limit) - 5} textAnchor="end">
            limit {format(frontier.limit)}
          </text>
        </g>
      )}
      <g className="frontier-target">
        <line className="reference" x1={x(frontier.target_amount)} x2={x(frontier.target_amount)} y1={MARGIN.top} y2={y(yBottom)} />
        <text x={x(frontier.target_amount) + 4} y={MARGIN.top + 10}>
          target {moneyCompact(frontier.target_amount)}
        </text>
      </g>
      <path className="frontier-line" d={line} />
      {isNumber(current.metric_value) && (
        <g className="frontier-current">
          <title>{`This run: ${moneyCompact(current.proceeds)} at ${format(current.metric_value)}`}</title>
          <rect x={x(current.proceeds) - 6} y={y(current.metric_value) - 6} width={12} height={12} transform={`rotate(45 ${x(current.proceeds)} ${y(current.metric_value)})`} />
          <text x={x(current.proceeds) + 10} y={y(current.metric_value) + 16}>
            this run
          </text>
        </g>
      )}
      {points.map((point, i) => {
        const label = `Point ${i + 1}: ${moneyCompact(point.proceeds)} at ${format(point.metric_value)}, ${point.assets_sold} assets${point.proven ? '' : ' (not proven)'}`
        return (
          <g
            key={i}
            className={`frontier-point${onSelect ? ' interactive' : ''}`}
            role={onSelect ? 'button' : 'img'}
            tabIndex={onSelect ? 0 : undefined}
            aria-label={onSelect ? `${label}. Open as a run` : label}
            onClick={onSelect ? () => onSelect(point) : undefined}
            onKeyDown={onSelect ? activate(point) : undefined}
          >
            <title>{label}</title>
            <circle cx={x(point.proceeds)} cy={y(point.metric_value)} r={5.5} className={point.proven ? undefined : 'unproven'} />
          </g>
        )
      })}
    </svg>
  )
}
