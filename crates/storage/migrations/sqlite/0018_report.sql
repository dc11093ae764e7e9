-- The final report of a debate (issue 12). A report is a series of versions: one draft that
-- analysts edit, and frozen versions (saved or published) whose `snapshot` holds every section,
-- excerpt, count and attendance as they were, so that published figures never drift. Sections
-- keep a `key` across versions (the id of the first section of the lineage), which is what
-- answers, commitments and links between sections refer to.
CREATE TABLE report_analysts (
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (debate_id, user_id)
);

CREATE TABLE report_versions (
    id INTEGER PRIMARY KEY,
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    -- 'draft' (edited), 'saved' or 'published' (frozen).
    state TEXT NOT NULL DEFAULT 'draft',
    snapshot TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    frozen_at INTEGER,
    frozen_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX report_versions_number ON report_versions(debate_id, number);
CREATE UNIQUE INDEX report_versions_one_draft ON report_versions(debate_id) WHERE state = 'draft';

CREATE TABLE report_sections (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES report_versions(id) ON DELETE CASCADE,
    key INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX report_sections_version ON report_sections(version_id, position, id);
CREATE INDEX report_sections_key ON report_sections(key);

-- A recommendation rests on findings (by their keys).
CREATE TABLE report_section_links (
    section_id INTEGER NOT NULL REFERENCES report_sections(id) ON DELETE CASCADE,
    finding_key INTEGER NOT NULL,
    PRIMARY KEY (section_id, finding_key)
);

-- Evidence. `kind` is 'contribution', 'theme' (a theme of a synthesis run: run_id and theme) or
-- 'event'. Runs are not referenced by a foreign key: a run may be deleted, and publishing then
-- says which citation lost its run. A theme's label and figures are copied when it is cited.
CREATE TABLE report_citations (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES report_sections(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    contribution_id INTEGER REFERENCES contributions(id) ON DELETE SET NULL,
    run_id INTEGER,
    theme INTEGER,
    event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
    excerpt TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL DEFAULT '',
    figures TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX report_citations_section ON report_citations(section_id, id);
CREATE INDEX report_citations_contribution ON report_citations(contribution_id);
CREATE INDEX report_citations_theme ON report_citations(run_id, theme);

-- The members of a cited theme, copied from the run when it is first cited (runs never change):
-- the coverage audit reads them with plain SQL.
CREATE TABLE report_theme_members (
    run_id INTEGER NOT NULL,
    theme INTEGER NOT NULL,
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    PRIMARY KEY (run_id, theme, contribution_id)
);
CREATE INDEX report_theme_members_contribution ON report_theme_members(contribution_id);

-- "Read, not retained", with the analyst's reason.
CREATE TABLE report_not_retained (
    contribution_id INTEGER PRIMARY KEY REFERENCES contributions(id) ON DELETE CASCADE,
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    marked_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    marked_at INTEGER NOT NULL
);
CREATE INDEX report_not_retained_debate ON report_not_retained(debate_id);

-- A guarantor's sign-off of one section of a version.
CREATE TABLE report_signoffs (
    section_id INTEGER NOT NULL REFERENCES report_sections(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    note TEXT NOT NULL DEFAULT '',
    signed_at INTEGER NOT NULL,
    PRIMARY KEY (section_id, user_id)
);

-- The guarantors' opinion ("avis des garants"), published beside the report.
CREATE TABLE report_opinions (
    id INTEGER PRIMARY KEY,
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    published_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX report_opinions_debate ON report_opinions(debate_id, id);

-- The city's answer to a recommendation (by its key): 'accepted', 'partly' or 'not_retained'.
CREATE TABLE report_answers (
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    section_key INTEGER NOT NULL,
    answer TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    answered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (debate_id, section_key)
);

-- What the city commits to for a recommendation, followed in public.
CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    section_key INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    budget_euros INTEGER,
    quartier_id INTEGER REFERENCES quartiers(id) ON DELETE SET NULL,
    starts_at INTEGER,
    ends_at INTEGER,
    -- 'planned', 'in_progress', 'done', 'abandoned'.
    status TEXT NOT NULL DEFAULT 'planned',
    progress INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX commitments_debate ON commitments(debate_id, section_key, id);

CREATE TABLE commitment_milestones (
    id INTEGER PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    title TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX commitment_milestones_commitment ON commitment_milestones(commitment_id, at);

-- Review comments on a section of the draft, by its key (they follow it from version to version);
-- staff only, never published.
CREATE TABLE report_comments (
    id INTEGER PRIMARY KEY,
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    section_key INTEGER NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX report_comments_section ON report_comments(debate_id, section_key, id);

-- Participants whose contributions a recommendation rests on, told when its commitments change.
CREATE TABLE report_subscriptions (
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    section_key INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (debate_id, section_key, user_id)
);

-- The coverage audit counts a debate's published contributions by their facets: an index that
-- holds them all makes that count a scan of the index alone.
CREATE INDEX contributions_facets ON contributions(debate_id, status, channel, question_id, category_id, quartier_id);
