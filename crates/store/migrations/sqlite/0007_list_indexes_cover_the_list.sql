-- Listings read small columns only, but SQLite keeps a row's columns in order, and `created_at`
-- and the list columns added later sit after `response` (and `request`): reading them walks the
-- overflow pages of those large values, tens of megabytes per run of a large portfolio (a page
-- of 100 such runs took seconds). These indexes carry every listed column except the
-- description, which precedes the large values, so a page of runs is read from the index.
DROP INDEX runs_by_created;
CREATE INDEX runs_by_created ON runs (
    created_at DESC, seq DESC, run_id, fund_id, status, scenario_set_id, scenario_kind,
    scenario_label, target_amount, proceeds, outcome_status, selection_strategy, created_by
);
DROP INDEX runs_by_fund;
CREATE INDEX runs_by_fund ON runs (
    fund_id, created_at DESC, seq DESC, run_id, status, scenario_set_id, scenario_kind,
    scenario_label, target_amount, proceeds, outcome_status, selection_strategy, created_by
);
-- Covered by runs_by_fund.
DROP INDEX runs_by_fund_id;
