-- Runs of the synthesis engine on a debate: settings and the whole result (JSON, schema in
-- crates/analysis/SCHEMA.md), so that every finding can be traced and the run reproduced.
CREATE TABLE analysis_runs (
    id INTEGER PRIMARY KEY,
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    documents INTEGER NOT NULL,
    themes INTEGER NOT NULL,
    engine_version TEXT NOT NULL,
    settings TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE INDEX analysis_runs_debate ON analysis_runs(debate_id, created_at);
