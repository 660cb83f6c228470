-- Runs (single and scenario runs) and scenario sets.
CREATE TABLE runs (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id              TEXT NOT NULL UNIQUE,
    fund_id             TEXT,
    program_description TEXT NOT NULL,
    status              TEXT NOT NULL,
    response            TEXT,
    error               TEXT,
    created_at          TEXT NOT NULL,
    scenario_set_id     TEXT,
    scenario_kind       TEXT,
    scenario_label      TEXT,
    scenario_position   INTEGER
);
CREATE INDEX runs_by_created ON runs (created_at DESC, seq DESC);
CREATE INDEX runs_by_fund ON runs (fund_id, created_at DESC, seq DESC);
CREATE INDEX runs_by_set ON runs (scenario_set_id, scenario_position);

CREATE TABLE scenario_sets (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    brief      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX scenario_sets_by_created ON scenario_sets (created_at DESC, seq DESC);
