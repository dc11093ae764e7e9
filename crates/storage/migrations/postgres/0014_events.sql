-- Events: neighbourhood workshops, mediation events ("aller vers") and the sessions of a
-- conference programme (the Assises). Times are Unix seconds; the instance's time zone turns them
-- into local hours. A programme groups sessions over one or more days.
CREATE TABLE programmes (
    id BIGSERIAL PRIMARY KEY,
    debate_id BIGINT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    published BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    debate_id BIGINT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    programme_id BIGINT REFERENCES programmes(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    question_id BIGINT REFERENCES debate_questions(id) ON DELETE SET NULL,
    quartier_id BIGINT REFERENCES quartiers(id) ON DELETE SET NULL,
    address TEXT NOT NULL DEFAULT '',
    access_notes TEXT NOT NULL DEFAULT '',
    accessibility TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    online_link TEXT NOT NULL DEFAULT '',
    image_file_id BIGINT REFERENCES files(id) ON DELETE SET NULL,
    capacity BIGINT,
    registration_opens BIGINT,
    registration_closes BIGINT,
    reminder_hours BIGINT NOT NULL DEFAULT 24,
    reminder_text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'scheduled',
    published BIGINT NOT NULL DEFAULT 0,
    -- Raised on every change that a calendar must see (RFC 5545 SEQUENCE).
    sequence BIGINT NOT NULL DEFAULT 0,
    -- The facilitator's summary of what was said, written after the event.
    minutes TEXT NOT NULL DEFAULT '',
    -- Brought from another platform (a Decidim meeting): "source:id", so that it comes once.
    source_ref TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX events_debate_start ON events(debate_id, starts_at, id);
CREATE INDEX events_start ON events(starts_at, id);
CREATE INDEX events_programme ON events(programme_id, starts_at);
-- The agenda filtered by quartier or by kind, in date order.
CREATE INDEX events_quartier_start ON events(quartier_id, starts_at, id);
CREATE INDEX events_kind_start ON events(kind, starts_at, id);
CREATE UNIQUE INDEX events_source ON events(debate_id, source_ref) WHERE source_ref <> '';

CREATE TABLE event_facilitators (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
);

CREATE TABLE speakers (
    id BIGSERIAL PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    photo_file_id BIGINT REFERENCES files(id) ON DELETE SET NULL
);

CREATE TABLE event_speakers (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    speaker_id BIGINT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, speaker_id)
);

-- A place asked for, with or without an account. `state`: confirmed, waiting, cancelled. The
-- waiting list is in arrival order (`id`). The cancellation link carries a token whose hash is
-- kept here.
CREATE TABLE registrations (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    category_id BIGINT REFERENCES categories(id) ON DELETE SET NULL,
    quartier_id BIGINT REFERENCES quartiers(id) ON DELETE SET NULL,
    state TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    entered_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    attended BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX registrations_event_state ON registrations(event_id, state, id);
CREATE UNIQUE INDEX registrations_event_user ON registrations(event_id, user_id)
    WHERE user_id IS NOT NULL AND state <> 'cancelled';
CREATE UNIQUE INDEX registrations_event_email ON registrations(event_id, email)
    WHERE email <> '' AND state <> 'cancelled';

-- People who came without registering: counted by category and quartier, never named.
CREATE TABLE event_walk_ins (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    category_id BIGINT REFERENCES categories(id) ON DELETE SET NULL,
    quartier_id BIGINT REFERENCES quartiers(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX event_walk_ins_event ON event_walk_ins(event_id);

-- What was said at an event becomes contributions that name it as their provenance.
ALTER TABLE contributions ADD COLUMN event_id BIGINT REFERENCES events(id) ON DELETE SET NULL;
CREATE INDEX contributions_event ON contributions(event_id) WHERE event_id IS NOT NULL;
