-- The request each run executed (to reproduce it), and the figures a runs list shows
-- without reading whole responses. Older runs get the figures from their stored response;
-- their request was never kept and stays NULL.
ALTER TABLE runs ADD COLUMN request TEXT;
ALTER TABLE runs ADD COLUMN target_amount DOUBLE PRECISION;
ALTER TABLE runs ADD COLUMN proceeds DOUBLE PRECISION;
ALTER TABLE runs ADD COLUMN outcome_status TEXT;
ALTER TABLE runs ADD COLUMN selection_strategy TEXT;
UPDATE runs SET
    target_amount = (response::jsonb -> 'selector_spec' ->> 'target_amount')::double precision,
    proceeds = (response::jsonb -> 'outcome' ->> 'proceeds')::double precision,
    outcome_status = response::jsonb -> 'outcome' ->> 'status'
WHERE response IS NOT NULL;
CREATE INDEX runs_by_fund_id ON runs (fund_id);
