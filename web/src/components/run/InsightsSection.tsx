import type { ReactNode } from 'react'
import type { Asset, ExplanationNode } from '../../api/types'
import { bySeverity } from '../../lib/labels'
import { NodeList } from './ExplanationSection'

/**
 * Findings of the credit analysis a CFO would want spelled out, warnings first. On an
 * infeasible run they lead the report: why it failed and what would cure it.
 */
export function InsightsSection({ insights, infeasible = false, assets, children }: { insights: ExplanationNode[]; infeasible?: boolean; assets?: Asset[]; children?: ReactNode }) {
  const warnings = insights.filter((n) => n.severity !== 'info').length
  return (
    <section className={`panel${infeasible && insights.length > 0 ? ' panel-advice' : ''}`} id="insights" aria-labelledby="insights-title">
      <div className="panel-header">
        <h2 id="insights-title">Insights</h2>
        <p>
          {insights.length === 0
            ? 'Nothing in the credit analysis needs a comment.'
            : infeasible
              ? 'The program does not meet its target or limits. Why, and what would cure it:'
              : warnings === 0
                ? 'What the credit analysis adds to the reference numbers.'
                : `${warnings} finding${warnings > 1 ? 's' : ''} to weigh before signing off.`}
        </p>
      </div>
      {insights.length > 0 && <NodeList nodes={bySeverity(insights)} assets={assets} />}
      {children}
    </section>
  )
}
