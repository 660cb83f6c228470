import type { Asset, Explanation, ExplanationNode, NodeCategory, Severity } from '../../api/types'
import { moneyCompact } from '../../lib/format'
import { CATEGORY_LABELS, SEVERITY_LABELS, bySeverity, readable } from '../../lib/labels'
import { formatMetric } from '../../lib/metrics'

const CATEGORY_ORDER: NodeCategory[] = ['constraint', 'driver', 'risk', 'alternative']
const SEVERITY_TONE: Record<Severity, string> = { error: 'badge-bad', warning: 'badge-warn', info: 'badge-ok' }

/** The planner's summary and the engine's explanation nodes, by category then severity. */
export function ExplanationSection({ explanation, assets }: { explanation: Explanation; assets?: Asset[] }) {
  const groups = CATEGORY_ORDER.map((category) => ({
    category,
    nodes: bySeverity(explanation.nodes.filter((n) => n.category === category)),
  })).filter((g) => g.nodes.length > 0)
  return (
    <section className="panel" id="explanation" aria-labelledby="explanation-title">
      <div className="panel-header">
        <h2 id="explanation-title">Explanation</h2>
      </div>
      <p className="summary-text">{readable(explanation.summary)}</p>
      {groups.map((group) => (
        <div className="node-group" key={group.category}>
          <h3>{CATEGORY_LABELS[group.category]}</h3>
          <NodeList nodes={group.nodes} assets={assets} />
        </div>
      ))}
    </section>
  )
}

/** Explanation nodes (or insights), each with its severity, label, detail and figures; assets by name when the portfolio is known. */
export function NodeList({ nodes, assets = [] }: { nodes: ExplanationNode[]; assets?: Asset[] }) {
  const names = new Map(assets.map((a) => [a.asset_id, a.name ?? a.asset_id]))
  return (
    <ul className="nodes">
      {nodes.map((node) => (
        <li key={node.id} data-node={node.id}>
          <span>
            <span className={`badge ${SEVERITY_TONE[node.severity]}`}>{SEVERITY_LABELS[node.severity]}</span>
          </span>
          <div>
            <strong>{readable(node.label)}</strong>
            {node.detail && <p className="node-detail">{readable(node.detail)}</p>}
            <NodeFigures node={node} names={names} />
          </div>
        </li>
      ))}
    </ul>
  )
}

/** The advice's figures that are proceeds whatever metric the finding is about. */
function proceedsLabel(node: ExplanationNode): string | null {
  if (node.id.startsWith('insight_cure_')) return 'needs'
  if (node.id === 'insight_optimal_alternative') return 'raises'
  return null
}

function NodeFigures({ node, names }: { node: ExplanationNode; names: Map<string, string> }) {
  // The concentration risks carry a share of proceeds without naming a metric.
  const metric = node.metric ?? (/concentration/.test(node.id) ? 'share' : '')
  const parts: string[] = []
  const proceeds = proceedsLabel(node)
  if (node.baseline_value !== null) parts.push(`before ${formatMetric(metric, node.baseline_value)}`)
  if (node.post_value !== null) parts.push(proceeds ? `${proceeds} ${moneyCompact(node.post_value)}` : `after ${formatMetric(metric, node.post_value)}`)
  if (node.threshold !== null) parts.push(`${proceeds ? 'limit' : 'threshold'} ${formatMetric(metric, node.threshold)}`)
  if (node.asset_ids?.length) parts.push(`${node.asset_ids.length === 1 ? 'asset' : 'assets'} ${node.asset_ids.map((id) => names.get(id) ?? id).join(', ')}`)
  return parts.length > 0 ? <p className="node-detail num">{parts.join(' · ')}</p> : null
}
