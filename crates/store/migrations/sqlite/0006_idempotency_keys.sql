-- Idempotency-Key of POST /api/runs and POST /api/scenario_sets: a retried request with the same
-- key gets the run or set its first request created (kind 'run' or 'scenario_set'), provided the
-- request hash matches. Written in the same commit as the result.
CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    result_id       TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
