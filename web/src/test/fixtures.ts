// Real answers of `slb serve` (built-in planner, demo portfolio), recorded for component tests.
import type { ScenarioSetWithRuns } from '../api/client'
import type { Frontier, PlanPreview, RunRecord, SensitivityGrid } from '../api/types'
import advice from './fixtures/run-advice.json'
import completed from './fixtures/run-completed.json'
import credit from './fixtures/run-credit.json'
import frontier from './fixtures/frontier.json'
import sensitivity from './fixtures/sensitivity.json'
import infeasible from './fixtures/run-infeasible.json'
import planPreview from './fixtures/plan-preview.json'
import scenarioSet from './fixtures/scenario-set.json'

export const COMPLETED_RUN = completed as RunRecord
/** A run with assumptions set, tax bases and mortgages on some assets (strategy optimal). */
export const CREDIT_RUN = credit as RunRecord
/** Stored before the credit analysis existed: `credit_analysis` and `insights` are null. */
export const INFEASIBLE_RUN = infeasible as RunRecord
export const SCENARIO_SET = scenarioSet as ScenarioSetWithRuns
/**
 * "Raise $250M from stores, keep leverage under 3.5x", reference greedy, fund FUND-A: infeasible,
 * with the advice (breached before any sale, what cures it, the optimiser's program) and the
 * stored request.
 */
export const ADVICE_RUN = advice as RunRecord
/** POST /api/plan of "Raise about $200 million from stores and DCs, no more than 8 assets, nothing in Dallas, keep lease-adjusted leverage under 5x". */
export const PLAN_PREVIEW = planPreview as PlanPreview

/** `slb frontier --metric new_rent --points 5` on the demo portfolio with ADVICE_RUN's spec. */
export const FRONTIER = frontier as Frontier
/** `slb sensitivity` (cap-rate shift −50/0/+50 × target $150M/$250M/$400M, greedy) with ADVICE_RUN's spec. */
export const SENSITIVITY = sensitivity as SensitivityGrid
