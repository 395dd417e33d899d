-- 0002 applications: graduate profiles and their documents, the application engine
-- (applications, their timeline, reference numbers), in-app notifications, policy parameters,
-- Employment Registration Certificates and follow-up contacts.
-- Kept in step with ../postgres/0002_applications.sql. Dates without a time (birth,
-- graduation, effective dates) are ISO text 'YYYY-MM-DD', which sorts correctly in both.

CREATE TABLE profiles (
    user_id            BIGINT PRIMARY KEY REFERENCES users (id),
    full_name          TEXT   NOT NULL,
    resident_id_enc    TEXT   NOT NULL,            -- XChaCha20-Poly1305 under the server key
    resident_id_hash   TEXT   NOT NULL UNIQUE,     -- keyed hash: one ID registers once
    resident_id_masked TEXT   NOT NULL,            -- 5111**********1234
    birth_date         TEXT   NOT NULL,
    gender             TEXT   NOT NULL CHECK (gender IN ('male', 'female')),
    graduation_cert_no TEXT   NOT NULL,
    school             TEXT   NOT NULL,
    major              TEXT   NOT NULL,
    degree             TEXT   NOT NULL,
    graduation_date    TEXT   NOT NULL,
    household_place    TEXT   NOT NULL,
    phone              TEXT   NOT NULL,
    employment_status  TEXT   NOT NULL,
    intentions         TEXT   NOT NULL,            -- JSON: job types, industries, places, salary range
    service_needs      TEXT   NOT NULL,            -- JSON list of needs
    needs_note         TEXT   NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX profiles_by_place ON profiles (household_place);
-- Staff lists (admin page) and role checks on large user tables.
CREATE INDEX users_by_role ON users (role);

-- Uploaded documents, stored by content hash under the data directory.
CREATE TABLE uploads (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id   BIGINT  NOT NULL REFERENCES users (id),
    purpose    TEXT    NOT NULL CHECK (purpose IN ('id_card', 'graduation_certificate')),
    sha256     TEXT    NOT NULL,
    mime       TEXT    NOT NULL,
    size       BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX uploads_by_owner ON uploads (owner_id, purpose, id);

-- The last reference number issued per year (LS-YYYY-NNNNNN).
CREATE TABLE reference_counters (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE applications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    reference       TEXT    NOT NULL UNIQUE,
    applicant_id    BIGINT  NOT NULL REFERENCES users (id),
    kind            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,              -- JSON, typed per kind
    status          TEXT    NOT NULL,
    version         BIGINT  NOT NULL,              -- bumped by every transition
    assignee_id     BIGINT  REFERENCES users (id),
    household_place TEXT    NOT NULL,              -- copied from the profile for the queue filter
    submitted_at    BIGINT,                        -- last (re)submission: the queue waits from here
    decided_at      BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
-- The queue: open applications, oldest first, keyset-paged on (submitted_at, id). The partial
-- index holds only the open ones, so the default view reads its page straight off the index
-- however many decided applications pile up; the second serves a single chosen status.
CREATE INDEX applications_open_queue ON applications (submitted_at, id)
    WHERE status IN ('submitted', 'in_review', 'needs_info');
CREATE INDEX applications_by_status ON applications (status, submitted_at, id);
CREATE INDEX applications_open_by_kind ON applications (kind, submitted_at, id)
    WHERE status IN ('submitted', 'in_review', 'needs_info');
CREATE INDEX applications_open_by_assignee ON applications (assignee_id, submitted_at, id)
    WHERE status IN ('submitted', 'in_review', 'needs_info');
CREATE INDEX applications_by_applicant ON applications (applicant_id, id);

-- The timeline: one row per transition; the audit trail the applicant sees.
CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT  NOT NULL REFERENCES applications (id),
    actor_id       BIGINT  NOT NULL REFERENCES users (id),
    actor_role     TEXT    NOT NULL,
    from_status    TEXT    NOT NULL,
    to_status      TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    note           TEXT    NOT NULL,
    at             BIGINT  NOT NULL
);
CREATE INDEX application_events_by_application ON application_events (application_id, id);

CREATE TABLE notifications (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    application_id BIGINT  REFERENCES applications (id),
    kind           TEXT    NOT NULL,
    params         TEXT    NOT NULL,               -- JSON values for the message
    read_at        BIGINT,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, id);

CREATE TABLE policy_parameters (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    key            TEXT    NOT NULL,
    effective_from TEXT    NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    source         TEXT    NOT NULL,
    updated_by     BIGINT  REFERENCES users (id),
    updated_at     BIGINT  NOT NULL,
    UNIQUE (key, effective_from)
);

CREATE TABLE certificates (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    number            TEXT    NOT NULL UNIQUE,
    verification_code TEXT    NOT NULL,
    application_id    BIGINT  NOT NULL UNIQUE REFERENCES applications (id),
    holder_id         BIGINT  NOT NULL REFERENCES users (id),
    holder_name       TEXT    NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('valid', 'revoked')),
    issued_at         BIGINT  NOT NULL,
    revoked_at        BIGINT
);
CREATE INDEX certificates_by_holder ON certificates (holder_id);

-- Follow-up calls and visits (电话回访 / 上门走访).
CREATE TABLE follow_ups (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    graduate_id       BIGINT  NOT NULL REFERENCES users (id),
    case_worker_id    BIGINT  NOT NULL REFERENCES users (id),
    channel           TEXT    NOT NULL CHECK (channel IN ('phone', 'visit', 'sms', 'wechat')),
    contacted_at      BIGINT  NOT NULL,
    outcome           TEXT    NOT NULL,
    intentions_update TEXT    NOT NULL,
    created_at        BIGINT  NOT NULL
);
CREATE INDEX follow_ups_by_graduate ON follow_ups (graduate_id, contacted_at);
