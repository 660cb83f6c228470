import type { ExplanationNode } from '../../api/types'
import { bySeverity } from '../../lib/labels'
import { NodeList } from './ExplanationSection'

/** Findings of the credit analysis a CFO would want spelled out, warnings first. */
export function InsightsSection({ insights }: { insights: ExplanationNode[] }) {
  const warnings = insights.filter((n) => n.severity !== 'info').length
  return (
    <section className="panel" id="insights" aria-labelledby="insights-title">
      <div className="panel-header">
        <h2 id="insights-title">Insights</h2>
        <p>
          {insights.length === 0
            ? 'Nothing in the credit analysis needs a comment.'
            : warnings === 0
              ? 'What the credit analysis adds to the reference numbers.'
              : `${warnings} finding${warnings > 1 ? 's' : ''} to weigh before signing off.`}
        </p>
      </div>
      {insights.length > 0 && <NodeList nodes={bySeverity(insights)} />}
    </section>
  )
}
