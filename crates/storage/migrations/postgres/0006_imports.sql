-- Imports: where an imported contribution came from, so that importing the same file again adds
-- nothing. `source` names the origin (`decidim`, `file`, or what `--source` says) and `source_ref`
-- the row's own id there, or a hash of its content when it has none. Contributions written on the
-- platform have neither.
ALTER TABLE contributions ADD COLUMN source TEXT;
ALTER TABLE contributions ADD COLUMN source_ref TEXT;
CREATE UNIQUE INDEX contributions_source ON contributions(debate_id, source, source_ref)
    WHERE source_ref IS NOT NULL;
