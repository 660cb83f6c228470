// A small vertical bar chart in plain SVG: groups of bars with optional per-bar limit ticks and
// chart-wide reference lines. Null values are marked "n/m" instead of drawn.
import { NOT_MEANINGFUL, isNumber, truncate } from '../../lib/format'

export type Bar = {
  series: string
  value: number | null
  /** CSS class of the bar (bar-before, bar-after, bar-target). */
  tone: string
  /** A limit drawn as a red tick across this bar. */
  limit?: number | null
}

export type BarGroup = { label: string; bars: Bar[] }

export type ReferenceLine = { value: number; label: string; tone: 'limit' | 'tolerance' | 'reference' }

type Props = {
  title: string
  groups: BarGroup[]
  format: (value: number) => string
  references?: ReferenceLine[]
  /** Drawing size in CSS pixels at which text has its nominal size; the chart scales to fit. */
  width?: number
  height?: number
}

const MARGIN = { top: 20, right: 14, bottom: 34, left: 62 }
const TICKS = 4
/** Filled bars at least this tall carry their value inside, clear of limit ticks drawn above them. */
const INSIDE_LABEL_MIN_HEIGHT = 20
/** Approximate width of one character of a 12px label. */
const CHAR_WIDTH = 7.2

export function BarChart({ title, groups, format, references = [], width = 460, height = 240 }: Props) {
  const values = groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.limit ?? null]))
  const step = niceStep(Math.max(0, ...references.map((r) => r.value), ...values.filter(isNumber)) / TICKS)
  const top = step * TICKS
  const plotWidth = width - MARGIN.left - MARGIN.right
  const plotHeight = height - MARGIN.top - MARGIN.bottom
  const y = (v: number) => MARGIN.top + plotHeight - (Math.max(0, v) / top) * plotHeight
  const groupWidth = plotWidth / Math.max(groups.length, 1)
  const barsPerGroup = Math.max(1, ...groups.map((g) => g.bars.length))
  const barWidth = Math.min(64, (groupWidth * 0.7) / barsPerGroup)

  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      <title>{title}</title>
      {Array.from({ length: TICKS + 1 }, (_, i) => step * i).map((tick) => (
        <g key={tick}>
          <line className="grid" x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} />
          <text x={MARGIN.left - 6} y={y(tick) + 4} textAnchor="end">
            {format(tick)}
          </text>
        </g>
      ))}
      {groups.map((group, gi) => {
        const start = MARGIN.left + gi * groupWidth + (groupWidth - barWidth * group.bars.length) / 2
        return (
          <g key={group.label}>
            {group.bars.map((bar, bi) => {
              const x = start + bi * barWidth
              const inner = barWidth - 4
              return (
                <g key={bar.series}>
                  {isNumber(bar.value) ? (
                    <>
                      <rect className={bar.tone} x={x + 2} width={inner} y={y(bar.value)} height={Math.max(0, y(0) - y(bar.value))}>
                        <title>{`${group.label} · ${bar.series}: ${format(bar.value)}`}</title>
                      </rect>
                      {fitsInside(bar, format(bar.value), y(0) - y(bar.value), inner) ? (
                        <text className="value-inside" x={x + barWidth / 2} y={y(bar.value) + 14} textAnchor="middle">
                          {format(bar.value)}
                        </text>
                      ) : (
                        <text className="value" x={x + barWidth / 2} y={y(bar.value) - 4} textAnchor="middle">
                          {format(bar.value)}
                        </text>
                      )}
                    </>
                  ) : (
                    <text className="value" x={x + barWidth / 2} y={y(0) - 4} textAnchor="middle">
                      {NOT_MEANINGFUL}
                    </text>
                  )}
                  {isNumber(bar.limit) && (
                    <line className="limit" x1={x} x2={x + barWidth} y1={y(bar.limit)} y2={y(bar.limit)}>
                      <title>{`Limit ${format(bar.limit)}`}</title>
                    </line>
                  )}
                </g>
              )
            })}
            <text x={MARGIN.left + gi * groupWidth + groupWidth / 2} y={height - MARGIN.bottom + 16} textAnchor="middle">
              {truncate(group.label, Math.floor(groupWidth / 7.5))}
            </text>
          </g>
        )
      })}
      {references.map((r) => (
        <g key={r.label}>
          <line className={r.tone} x1={MARGIN.left} x2={width - MARGIN.right} y1={y(r.value)} y2={y(r.value)} />
          <text x={width - MARGIN.right} y={y(r.value) - 4} textAnchor="end">
            {r.label}
          </text>
        </g>
      ))}
      <line className="axis" x1={MARGIN.left} x2={width - MARGIN.right} y1={y(0)} y2={y(0)} />
    </svg>
  )
}

function fitsInside(bar: Bar, label: string, height: number, width: number): boolean {
  return bar.tone === 'bar-after' && height >= INSIDE_LABEL_MIN_HEIGHT && label.length * CHAR_WIDTH <= width - 4
}

/** A round tick step (1, 1.5, 2, 2.5, 3, 4, 5 or 8 × 10ⁿ) so that the ticks reach a little above `value`. */
function niceStep(value: number): number {
  if (value <= 0) return 1
  const padded = value * 1.1
  const magnitude = 10 ** Math.floor(Math.log10(padded))
  return ([1, 1.5, 2, 2.5, 3, 4, 5, 8, 10].find((s) => s * magnitude >= padded) ?? 10) * magnitude
}
