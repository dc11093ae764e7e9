-- Foundation: instance lists, accounts, sessions, debates, phases, files, audit log.
-- Times are Unix seconds (BIGINT) so that the same SQL runs on SQLite and PostgreSQL.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE categories (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE quartiers (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    population BIGINT,
    area_km2 DOUBLE PRECISION,
    position BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    category_id BIGINT REFERENCES categories(id) ON DELETE SET NULL,
    quartier_id BIGINT REFERENCES quartiers(id) ON DELETE SET NULL,
    age_bracket TEXT,
    lang TEXT NOT NULL DEFAULT 'fr',
    confirmed_at BIGINT,
    blocked_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    granted_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE user_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE login_attempts (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_attempts_key_at ON login_attempts(key, at);

CREATE TABLE files (
    id BIGSERIAL PRIMARY KEY,
    debate_id BIGINT,
    purpose TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BYTEA NOT NULL,
    uploaded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX files_debate ON files(debate_id, purpose);

CREATE TABLE debates (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    image_file_id BIGINT REFERENCES files(id) ON DELETE SET NULL,
    image_alt TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE debate_questions (
    id BIGSERIAL PRIMARY KEY,
    debate_id BIGINT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX debate_questions_debate ON debate_questions(debate_id, position);

CREATE TABLE debate_categories (
    debate_id BIGINT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    PRIMARY KEY (debate_id, category_id)
);

CREATE TABLE debate_quartiers (
    debate_id BIGINT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    quartier_id BIGINT NOT NULL REFERENCES quartiers(id) ON DELETE CASCADE,
    PRIMARY KEY (debate_id, quartier_id)
);

CREATE TABLE phases (
    id BIGSERIAL PRIMARY KEY,
    debate_id BIGINT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL
);
CREATE INDEX phases_debate ON phases(debate_id, starts_at);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
