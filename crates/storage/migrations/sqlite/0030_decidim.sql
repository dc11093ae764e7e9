-- What an import from another platform (Decidim first) brings beyond the text: the theme the
-- source filed it under (a Decidim category: the subject, not the participant's category), the
-- supports it gathered there (shown as such, never mixed with Concorde's own), its state and
-- official answer there, its address there and the links it had (meetings, as text), and the
-- public name of the collective author (a Decidim user group) — never a person's name.
ALTER TABLE contributions ADD COLUMN theme TEXT NOT NULL DEFAULT '';
ALTER TABLE contributions ADD COLUMN imported_supports INTEGER;
ALTER TABLE contributions ADD COLUMN source_state TEXT NOT NULL DEFAULT '';
ALTER TABLE contributions ADD COLUMN source_answer TEXT NOT NULL DEFAULT '';
ALTER TABLE contributions ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
ALTER TABLE contributions ADD COLUMN source_links TEXT NOT NULL DEFAULT '';
ALTER TABLE contributions ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
CREATE INDEX contributions_theme ON contributions(debate_id, theme) WHERE theme <> '';

-- Imported comments: their origin (so that a second import adds nothing), the alignment the
-- author gave (for, against, neutral; empty for comments written here) and the user group's name.
ALTER TABLE comments ADD COLUMN source TEXT;
ALTER TABLE comments ADD COLUMN source_ref TEXT;
ALTER TABLE comments ADD COLUMN alignment TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX comments_source ON comments(contribution_id, source, source_ref)
    WHERE source_ref IS NOT NULL;

-- A guiding question may come from elsewhere (a Decidim debate): its origin, and the help text
-- that explains it (the debate's description).
ALTER TABLE debate_questions ADD COLUMN help TEXT NOT NULL DEFAULT '';
ALTER TABLE debate_questions ADD COLUMN source TEXT;
ALTER TABLE debate_questions ADD COLUMN source_ref TEXT;
CREATE UNIQUE INDEX debate_questions_source ON debate_questions(debate_id, source, source_ref)
    WHERE source_ref IS NOT NULL;
