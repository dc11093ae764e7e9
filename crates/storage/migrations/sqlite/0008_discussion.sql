-- Around a contribution: its edit history, comments (threaded), followers, reports and the
-- moderators' decisions. Counts kept on the contribution feed the "most supported / most
-- commented" sorts without a join.
ALTER TABLE contributions ADD COLUMN supports_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contributions ADD COLUMN comments_count INTEGER NOT NULL DEFAULT 0;
-- Why a moderator hid it (shown in place of the text), empty otherwise.
ALTER TABLE contributions ADD COLUMN moderation_reason TEXT NOT NULL DEFAULT '';
UPDATE contributions SET supports_count = (SELECT COUNT(*) FROM supports s WHERE s.contribution_id = contributions.id);

-- The text as it was before each edit by its author.
CREATE TABLE contribution_versions (
    id INTEGER PRIMARY KEY,
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- When this version was written, and when it was replaced.
    written_at INTEGER NOT NULL,
    replaced_at INTEGER NOT NULL
);
CREATE INDEX contribution_versions_of ON contribution_versions(contribution_id, id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    -- 0 for an answer to the contribution, 1 for an answer to that, and so on.
    depth INTEGER NOT NULL DEFAULT 0,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    -- published, hidden (by a moderator), withdrawn (by its author)
    status TEXT NOT NULL DEFAULT 'published',
    moderation_reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX comments_of ON comments(contribution_id, id);
CREATE INDEX comments_author ON comments(author_id);

-- People told by mail of new comments.
CREATE TABLE follows (
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (contribution_id, user_id)
);
CREATE INDEX follows_user ON follows(user_id);

-- Reports of a contribution or a comment; resolved when a moderator hides the item or keeps it.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    reporter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    resolution TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reports_open ON reports(resolved_at, created_at);
CREATE INDEX reports_target ON reports(target_kind, target_id);
-- One open report per person and item.
CREATE UNIQUE INDEX reports_once ON reports(target_kind, target_id, reporter_id) WHERE resolved_at IS NULL;

CREATE INDEX contributions_list_supported ON contributions(debate_id, status, supports_count, id);
CREATE INDEX contributions_list_commented ON contributions(debate_id, status, comments_count, id);
