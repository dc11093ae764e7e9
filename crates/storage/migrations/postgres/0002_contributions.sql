-- Contributions: what people write in answer to a debate's guiding questions, online or on paper.
-- The author's participant category and quartier are copied at the time of writing, so that
-- later profile changes do not rewrite history.
CREATE TABLE contributions (
    id BIGSERIAL PRIMARY KEY,
    debate_id BIGINT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES debate_questions(id),
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL DEFAULT 'individual',
    channel TEXT NOT NULL DEFAULT 'online',
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category_id BIGINT REFERENCES categories(id) ON DELETE SET NULL,
    quartier_id BIGINT REFERENCES quartiers(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'published',
    -- Provenance of contributions typed in by a facilitator: where and when the original was
    -- received, and who typed it.
    place TEXT NOT NULL DEFAULT '',
    received_at BIGINT,
    entered_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contributions_debate_new ON contributions(debate_id, created_at, id);
CREATE INDEX contributions_question_new ON contributions(question_id, created_at, id);
CREATE INDEX contributions_author ON contributions(author_id);
