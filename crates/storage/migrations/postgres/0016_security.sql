-- Account security (issue 14, second part).
--
-- Limits on abuse: one row per counted event (a sign-up, a mail to an address, a contribution,
-- an upload with its size in bytes as `amount`…), keyed by the rule's name (`bucket`) and who is
-- counted (`key`: "user:12", "ip:203.0.113.4", "to:someone@example.org"). Counting here rather
-- than in memory makes a limit hold across instances. Rows older than the longest window are
-- deleted by the hourly purge.
CREATE TABLE rate_events (
    id BIGSERIAL PRIMARY KEY,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    at BIGINT NOT NULL,
    amount BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX rate_events_key ON rate_events(bucket, key, at);
CREATE INDEX rate_events_at ON rate_events(at);

-- Sessions say where they come from and when they were last used (the list on the profile), and
-- when their holder last proved who they are (password or second factor: re-authentication).
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_used_at BIGINT;
ALTER TABLE sessions ADD COLUMN verified_at BIGINT;
-- A session opened with the password of an account that needs a second factor waits for the
-- code: until then it signs nobody in (1 = waiting for the code, 2 = waiting for an enrolment).
ALTER TABLE sessions ADD COLUMN pending BIGINT NOT NULL DEFAULT 0;

-- The second factor (TOTP, RFC 6238): the base32 secret, set when the code confirmed it; the
-- last time step used, so that a code is never accepted twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
-- Retention: when the account was last seen (a sign-in, a page with its session), and when it was
-- warned that it would be deleted for inactivity.
ALTER TABLE users ADD COLUMN last_seen_at BIGINT;
ALTER TABLE users ADD COLUMN inactivity_warned_at BIGINT;

-- Recovery codes of the second factor: ten, each usable once, kept as SHA-256 hashes.
CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
