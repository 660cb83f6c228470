// Proceeds against the target: a filled bar for what was raised, a dashed box for the target,
// the tolerance line from which the engine counts the target as met, and the floor the revision
// loop may not cut the target below.
import { moneyCompact } from '../../lib/format'

type Props = { proceeds: number; target: number; tolerance: number; floor: number | null }

const WIDTH = 1100
const HEIGHT = 70
const SIDE = 4
const BAR_Y = 20
const BAR_H = 22

export function TargetGauge({ proceeds, target, tolerance, floor }: Props) {
  const max = Math.max(proceeds, target, floor ?? 0) * 1.06 || 1
  const x = (v: number) => SIDE + (v / max) * (WIDTH - 2 * SIDE)
  const toleranceAt = target * (1 - tolerance)
  return (
    <figure className="gauge">
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Raised ${moneyCompact(proceeds)} against a target of ${moneyCompact(target)}`}
      >
        <rect x={SIDE} y={BAR_Y} width={WIDTH - 2 * SIDE} height={BAR_H} fill="#efe9dd" />
        <rect className="bar-after" x={SIDE} y={BAR_Y} width={Math.max(0, x(proceeds) - SIDE)} height={BAR_H} />
        <rect className="bar-target" x={SIDE} y={BAR_Y - 4} width={x(target) - SIDE} height={BAR_H + 8} />
        <line className="tolerance" x1={x(toleranceAt)} x2={x(toleranceAt)} y1={BAR_Y - 8} y2={BAR_Y + BAR_H + 8} />
        <text className="value" x={x(target)} y={BAR_Y - 8} textAnchor="end">
          {`Target ${moneyCompact(target)}`}
        </text>
        {floor !== null && floor > 0 && (
          <g>
            <line className="axis" x1={x(floor)} x2={x(floor)} y1={BAR_Y + BAR_H} y2={BAR_Y + BAR_H + 10} />
            <text x={x(floor)} y={BAR_Y + BAR_H + 22} textAnchor="middle">
              Floor
            </text>
          </g>
        )}
      </svg>
      <figcaption className="legend">
        <span className="key-after">Raised {moneyCompact(proceeds)}</span>
        <span className="key-target">Target {moneyCompact(target)}</span>
        <span className="key-tolerance">
          {`${(tolerance * 100).toFixed(0)}% tolerance: met from ${moneyCompact(toleranceAt)}`}
        </span>
        {floor !== null && floor > 0 && <span>Floor {moneyCompact(floor)}</span>}
      </figcaption>
    </figure>
  )
}
