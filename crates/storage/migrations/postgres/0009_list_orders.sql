-- The "random" order of the contributions list: a fixed scramble of the id (multiplicative
-- hashing, 32 bits), the same on SQLite and PostgreSQL; each visitor starts reading it at their
-- own point, so that no contribution is favoured for being early. The expression must stay
-- exactly as in crates/storage/src/contributions.rs (SHUFFLE) for the index to be used.
CREATE INDEX contributions_list_shuffle ON contributions(debate_id, status, ((id * 2654435761) % 4294967296), id);
