-- The search index follows the database: it picks up rows changed since its last pass.
CREATE INDEX contributions_updated ON contributions(updated_at);
CREATE INDEX comments_updated ON comments(updated_at);
