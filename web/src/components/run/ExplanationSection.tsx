import type { Explanation, ExplanationNode, NodeCategory, Severity } from '../../api/types'
import { CATEGORY_LABELS, SEVERITY_LABELS, bySeverity } from '../../lib/labels'
import { formatMetric } from '../../lib/metrics'

const CATEGORY_ORDER: NodeCategory[] = ['constraint', 'driver', 'risk', 'alternative']
const SEVERITY_TONE: Record<Severity, string> = { error: 'badge-bad', warning: 'badge-warn', info: 'badge-ok' }

/** The planner's summary and the engine's explanation nodes, by category then severity. */
export function ExplanationSection({ explanation }: { explanation: Explanation }) {
  const groups = CATEGORY_ORDER.map((category) => ({
    category,
    nodes: bySeverity(explanation.nodes.filter((n) => n.category === category)),
  })).filter((g) => g.nodes.length > 0)
  return (
    <section className="panel" id="explanation" aria-labelledby="explanation-title">
      <div className="panel-header">
        <h2 id="explanation-title">Explanation</h2>
      </div>
      <p className="summary-text">{explanation.summary}</p>
      {groups.map((group) => (
        <div className="node-group" key={group.category}>
          <h3>{CATEGORY_LABELS[group.category]}</h3>
          <NodeList nodes={group.nodes} />
        </div>
      ))}
    </section>
  )
}

/** Explanation nodes (or insights), each with its severity, label, detail and figures. */
export function NodeList({ nodes }: { nodes: ExplanationNode[] }) {
  return (
    <ul className="nodes">
      {nodes.map((node) => (
        <li key={node.id}>
          <span>
            <span className={`badge ${SEVERITY_TONE[node.severity]}`}>{SEVERITY_LABELS[node.severity]}</span>
          </span>
          <div>
            <strong>{node.label}</strong>
            {node.detail && <p className="node-detail">{node.detail}</p>}
            <NodeFigures node={node} />
          </div>
        </li>
      ))}
    </ul>
  )
}

function NodeFigures({ node }: { node: ExplanationNode }) {
  const metric = node.metric ?? ''
  const parts: string[] = []
  if (node.baseline_value !== null) parts.push(`before ${formatMetric(metric, node.baseline_value)}`)
  if (node.post_value !== null) parts.push(`after ${formatMetric(metric, node.post_value)}`)
  if (node.threshold !== null) parts.push(`threshold ${formatMetric(metric, node.threshold)}`)
  if (node.asset_ids?.length) parts.push(`assets ${node.asset_ids.join(', ')}`)
  return parts.length > 0 ? <p className="node-detail num">{parts.join(' · ')}</p> : null
}
