// Grouping the runs list by scenario set.
import type { RunListItem } from '../api/types'

/** Runs newest first; the runs of one scenario set are kept together under one heading. */
export type RunGroup = { setId: string | null; runs: RunListItem[] }

export function groupByScenarioSet(runs: RunListItem[]): RunGroup[] {
  const groups: RunGroup[] = []
  const bySet = new Map<string, RunGroup>()
  for (const run of runs) {
    if (run.scenario_set_id === null) {
      groups.push({ setId: null, runs: [run] })
      continue
    }
    const existing = bySet.get(run.scenario_set_id)
    if (existing) existing.runs.push(run)
    else {
      const group = { setId: run.scenario_set_id, runs: [run] }
      bySet.set(run.scenario_set_id, group)
      groups.push(group)
    }
  }
  return groups
}
