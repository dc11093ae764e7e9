-- Organisations (associations, collectives, companies, social-work services, institutions,
-- research) and their members, who file collective contributions ("cahiers d'acteur") on their
-- behalf, with a summary and attachments. Files also carry the scans of paper contributions.
CREATE TABLE organisations (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations(lower(name));

CREATE TABLE organisation_members (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- Admins invite members; the creator is the first one.
    is_admin BIGINT NOT NULL DEFAULT 0,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX organisation_members_user ON organisation_members(user_id);

CREATE TABLE organisation_invitations (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT,
    accepted_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);

ALTER TABLE contributions ADD COLUMN organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL;
ALTER TABLE contributions ADD COLUMN summary TEXT NOT NULL DEFAULT '';
CREATE INDEX contributions_organisation ON contributions(organisation_id);

-- Attachments of collective contributions and scans of paper ones.
CREATE TABLE contribution_files (
    contribution_id BIGINT NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    file_id BIGINT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (contribution_id, file_id)
);
CREATE INDEX contribution_files_file ON contribution_files(file_id);
