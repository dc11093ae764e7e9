-- The survey (issue 11): a questionnaire per debate, answered online (signed in, or anonymously
-- with a browser token) and by a polling firm's panel, whose respondents are raked to the
-- population's margins.
--
-- The questionnaire is one JSON document (`definition`: sections of questions, see
-- crates/survey): it is read whole by every page. `revision` is raised by every change that
-- changes results (a response submitted, a panel imported, a weighting): results are cached
-- under it.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    debate_id INTEGER NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    intro TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    anonymous INTEGER NOT NULL DEFAULT 0,
    results_public INTEGER NOT NULL DEFAULT 0,
    definition TEXT NOT NULL DEFAULT '{"sections":[]}',
    revision INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX surveys_debate ON surveys(debate_id, id);

-- One response: online (an account's, or a browser token's whose hash is kept) or a panel's
-- respondent (`panel_ref`: the firm's identifier). `answers` is a JSON object, question code →
-- answer; `profile` the respondent's socio-demographic variables (the panel's columns; for an
-- online response, the account's category and quartier when it was submitted). `page` is the
-- section to resume at; `submitted_at` is empty while the response is being written.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    source TEXT NOT NULL DEFAULT 'online',
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    token_hash TEXT,
    panel_ref TEXT,
    answers TEXT NOT NULL DEFAULT '{}',
    profile TEXT NOT NULL DEFAULT '{}',
    page INTEGER NOT NULL DEFAULT 0,
    weight REAL,
    submitted_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX survey_responses_user ON survey_responses(survey_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX survey_responses_token ON survey_responses(survey_id, token_hash) WHERE token_hash IS NOT NULL;
CREATE UNIQUE INDEX survey_responses_panel ON survey_responses(survey_id, panel_ref) WHERE panel_ref IS NOT NULL;
CREATE INDEX survey_responses_source ON survey_responses(survey_id, source, submitted_at);

-- A weighting of the panel: the margins as uploaded, the raking variables, the options and the
-- diagnostics (JSON). The newest one's weights are on the panel's responses.
CREATE TABLE survey_weightings (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    by_variables TEXT NOT NULL,
    margins TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '{}',
    diagnostics TEXT NOT NULL DEFAULT '{}',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX survey_weightings_survey ON survey_weightings(survey_id, id);
