-- Supports: one per person and contribution, withdrawable.
CREATE TABLE supports (
    contribution_id BIGINT NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (contribution_id, user_id)
);
CREATE INDEX supports_user ON supports(user_id);
