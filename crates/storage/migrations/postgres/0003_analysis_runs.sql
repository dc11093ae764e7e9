-- Runs of the synthesis engine on a debate: settings and the whole result (JSON, schema in
-- crates/analysis/SCHEMA.md), so that every finding can be traced and the run reproduced.
CREATE TABLE analysis_runs (
    id BIGSERIAL PRIMARY KEY,
    debate_id BIGINT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    documents BIGINT NOT NULL,
    themes BIGINT NOT NULL,
    engine_version TEXT NOT NULL,
    settings TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE INDEX analysis_runs_debate ON analysis_runs(debate_id, created_at);
