-- The durable job queue (crates/jobs): mail, follower fan-out, analysis runs, scheduled notices.
-- A job is 'queued' until a worker claims it ('running', leased until locked_until), then 'done'
-- or, after max_attempts, 'failed' with last_error. A running job whose lease ran out (its
-- process died) is claimed again. dedup_key makes a scheduled job exist at most once.
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 8,
    run_at BIGINT NOT NULL,
    locked_until BIGINT,
    locked_by TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    dedup_key TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX jobs_due ON jobs (state, run_at, id);
