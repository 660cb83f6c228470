-- The request each run executed (to reproduce it), and the figures a runs list shows
-- without reading whole responses. Older runs get the figures from their stored response;
-- their request was never kept and stays NULL.
ALTER TABLE runs ADD COLUMN request TEXT;
ALTER TABLE runs ADD COLUMN target_amount REAL;
ALTER TABLE runs ADD COLUMN proceeds REAL;
ALTER TABLE runs ADD COLUMN outcome_status TEXT;
ALTER TABLE runs ADD COLUMN selection_strategy TEXT;
UPDATE runs SET
    target_amount = json_extract(response, '$.selector_spec.target_amount'),
    proceeds = json_extract(response, '$.outcome.proceeds'),
    outcome_status = json_extract(response, '$.outcome.status')
WHERE response IS NOT NULL AND json_valid(response);
CREATE INDEX runs_by_fund_id ON runs (fund_id);
