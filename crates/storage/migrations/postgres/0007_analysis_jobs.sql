-- Runs of the synthesis engine become jobs: a run is stored as soon as it starts, so that a
-- million contributions can be analysed in the background while the analyst's page waits.
-- 'running' → 'done' (result filled) or 'failed' (error filled). Older rows were all done.
ALTER TABLE analysis_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'done';
ALTER TABLE analysis_runs ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE analysis_runs ADD COLUMN finished_at BIGINT;
