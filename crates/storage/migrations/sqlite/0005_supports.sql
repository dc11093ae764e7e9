-- Supports: one per person and contribution, withdrawable.
CREATE TABLE supports (
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (contribution_id, user_id)
);
CREATE INDEX supports_user ON supports(user_id);
