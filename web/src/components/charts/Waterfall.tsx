// A horizontal waterfall in plain SVG: a starting amount, signed steps floating from the running
// total, subtotals, and, after a break, stand-alone figures measured from zero on the same scale.
import { isNumber } from '../../lib/format'

export type WaterfallStep = {
  label: string
  /** `start` and `total`: a level; `delta`: a signed change of the running total; `figure`: a level drawn on its own. */
  kind: 'start' | 'delta' | 'total' | 'figure'
  value: number
  /** CSS class of the bar (wf-total, wf-out, wf-subtotal, wf-debt, wf-lease). */
  tone: string
}

type Props = {
  title: string
  steps: WaterfallStep[]
  format: (value: number) => string
  /** Index of the first step after the break, and the caption of the break. */
  breakAt?: number
  breakLabel?: string
  width?: number
}

const LABEL_WIDTH = 178
const VALUE_WIDTH = 78
const ROW = 38
const BAR = 20
const TOP = 6
const BREAK = 30

type Placed = WaterfallStep & { from: number; to: number; y: number }

/** Each step's row and the ends of its bar. */
function layout(steps: WaterfallStep[], breakAt: number | undefined): { placed: Placed[]; height: number } {
  let running = 0
  let y = TOP
  const placed = steps.map((step, i) => {
    if (i === breakAt) y += BREAK
    let from = 0
    let to = step.value
    if (step.kind === 'delta') {
      from = running
      to = running + step.value
    }
    if (step.kind !== 'figure') running = to
    const row = { ...step, from, to, y }
    y += ROW
    return row
  })
  return { placed, height: y + 4 }
}

export function Waterfall({ title, steps, format, breakAt, breakLabel, width = 640 }: Props) {
  const { placed, height } = layout(steps, breakAt)
  const ends = placed.flatMap((p) => [p.from, p.to]).filter(isNumber)
  const lo = Math.min(0, ...ends)
  const hi = Math.max(1, ...ends)
  const plotLeft = LABEL_WIDTH
  const plotWidth = width - LABEL_WIDTH - VALUE_WIDTH
  const x = (v: number) => plotLeft + ((v - lo) / (hi - lo)) * plotWidth
  const shown = (p: Placed) => (p.kind === 'delta' && p.value !== 0 ? `${p.value < 0 ? '−' : '+'}${format(Math.abs(p.value))}` : format(Math.abs(p.value) === 0 ? 0 : p.value))
  const description = placed.map((p) => `${p.label}: ${shown(p)}`).join('; ')

  return (
    <svg className="chart waterfall" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${description}.`}>
      <title>{title}</title>
      {breakAt !== undefined && breakAt < placed.length && (
        <g>
          <line className="grid" x1={0} x2={width} y1={placed[breakAt].y - BREAK / 2 - 2} y2={placed[breakAt].y - BREAK / 2 - 2} />
          {breakLabel && (
            <text className="break-label" x={0} y={placed[breakAt].y - 8}>
              {breakLabel}
            </text>
          )}
        </g>
      )}
      {lo < 0 && <line className="axis" x1={x(0)} x2={x(0)} y1={TOP - 2} y2={height - 2} />}
      {placed.map((p, i) => {
        const left = x(Math.min(p.from, p.to))
        const right = x(Math.max(p.from, p.to))
        const next = placed[i + 1]
        const flows = next !== undefined && next.kind !== 'figure' && i + 1 !== breakAt
        const barTop = p.y + (ROW - BAR) / 2
        return (
          <g key={p.label}>
            <text x={p.kind === 'delta' ? 10 : 0} y={barTop + BAR / 2 + 4} className={p.kind === 'delta' ? undefined : 'step-label'}>
              {p.label}
            </text>
            <rect className={p.tone} x={left} y={barTop} width={Math.max(right - left, p.value === 0 ? 0 : 1)} height={BAR}>
              <title>{`${p.label}: ${shown(p)}`}</title>
            </rect>
            <text className="value" x={right + 6} y={barTop + BAR / 2 + 4}>
              {shown(p)}
            </text>
            {flows && <line className="connector" x1={x(p.to)} x2={x(p.to)} y1={barTop + BAR} y2={next.y + (ROW - BAR) / 2} />}
          </g>
        )
      })}
    </svg>
  )
}
