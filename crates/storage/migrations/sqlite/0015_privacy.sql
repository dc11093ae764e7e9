-- Personal data and account security (issue 14).
--
-- The audit log becomes a hash chain: `hash` is SHA-256 over the previous entry's hash
-- (`prev_hash`, empty for the first entry) and this entry's fields (storage::audit::entry_hash).
-- The store computes both when it writes an entry, under a lock, so that entries are chained in
-- the order of their ids. Entries written before this migration have neither: SQLite has no
-- SHA-256 in SQL, and one Rust function is the only way to be sure both databases hash alike, so
-- the store chains them, oldest first, at the first audit write after the migration.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
