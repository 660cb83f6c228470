// Real answers of `slb serve` (built-in planner, demo portfolio), recorded for component tests.
import type { ScenarioSetWithRuns } from '../api/client'
import type { RunRecord } from '../api/types'
import completed from './fixtures/run-completed.json'
import credit from './fixtures/run-credit.json'
import infeasible from './fixtures/run-infeasible.json'
import scenarioSet from './fixtures/scenario-set.json'

export const COMPLETED_RUN = completed as RunRecord
/** A run with assumptions set, tax bases and mortgages on some assets (strategy optimal). */
export const CREDIT_RUN = credit as RunRecord
/** Stored before the credit analysis existed: `credit_analysis` and `insights` are null. */
export const INFEASIBLE_RUN = infeasible as RunRecord
export const SCENARIO_SET = scenarioSet as ScenarioSetWithRuns
