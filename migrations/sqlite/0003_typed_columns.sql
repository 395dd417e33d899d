-- 0003 typed columns: the values an enum in the code names (kinds, statuses, roles, places,
-- degrees, employment statuses, notification kinds) are checked by the database too, so a row
-- the code could not read back cannot be written. Kept in step with
-- ../postgres/0003_typed_columns.sql; a test compares both schemas and checks that every list
-- below equals its enum in the code.
--
-- SQLite cannot add a CHECK to an existing table, so the tables are rebuilt. The migration runs
-- in one transaction with foreign keys enforced, so no parent row may disappear while a child
-- points at it: the tables that point at `applications` (events, notifications, certificates)
-- are set aside and dropped first, `applications` is replaced, and they are rebuilt after it
-- with the same ids. Every row keeps its id, so every reference still holds.

-- 1. The new applications table, filled.
CREATE TABLE applications_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    reference       TEXT    NOT NULL UNIQUE,
    applicant_id    BIGINT  NOT NULL REFERENCES users (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('jobseeker_registration', 'employment_certificate', 'traineeship', 'startup_training', 'startup_loan', 'startup_subsidy', 'incubation', 'skills_training', 'training_subsidy', 'flexible_insurance_subsidy')),
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'in_review', 'needs_info', 'approved', 'rejected', 'completed', 'withdrawn')),
    version         BIGINT  NOT NULL,
    assignee_id     BIGINT  REFERENCES users (id),
    household_place TEXT    NOT NULL CHECK (household_place IN ('shizhong', 'shawan', 'wutongqiao', 'jinkouhe', 'qianwei', 'jingyan', 'jiajiang', 'muchuan', 'ebian', 'mabian', 'emeishan', 'other')),
    submitted_at    BIGINT,
    decided_at      BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
INSERT INTO applications_new SELECT id, reference, applicant_id, kind, payload, status, version, assignee_id,
    household_place, submitted_at, decided_at, created_at, updated_at FROM applications;

-- 2. The tables that point at applications: set their rows aside, then drop them.
CREATE TEMP TABLE saved_events AS SELECT * FROM application_events;
CREATE TEMP TABLE saved_notifications AS SELECT * FROM notifications;
CREATE TEMP TABLE saved_certificates AS SELECT * FROM certificates;
DROP TABLE application_events;
DROP TABLE notifications;
DROP TABLE certificates;

-- 3. Nothing points at the old applications table any more: replace it.
DROP TABLE applications;
ALTER TABLE applications_new RENAME TO applications;
CREATE INDEX applications_open_queue ON applications (submitted_at, id)
    WHERE status IN ('submitted', 'in_review', 'needs_info');
CREATE INDEX applications_by_status ON applications (status, submitted_at, id);
CREATE INDEX applications_open_by_kind ON applications (kind, submitted_at, id)
    WHERE status IN ('submitted', 'in_review', 'needs_info');
CREATE INDEX applications_open_by_assignee ON applications (assignee_id, submitted_at, id)
    WHERE status IN ('submitted', 'in_review', 'needs_info');
CREATE INDEX applications_by_applicant ON applications (applicant_id, id);


-- 4. The tables that point at applications, rebuilt with their rows.
CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT  NOT NULL REFERENCES applications (id),
    actor_id       BIGINT  NOT NULL REFERENCES users (id),
    actor_role     TEXT    NOT NULL CHECK (actor_role IN ('graduate', 'employer', 'case_worker', 'admin')),
    from_status    TEXT    NOT NULL CHECK (from_status IN ('draft', 'submitted', 'in_review', 'needs_info', 'approved', 'rejected', 'completed', 'withdrawn')),
    to_status      TEXT    NOT NULL CHECK (to_status IN ('draft', 'submitted', 'in_review', 'needs_info', 'approved', 'rejected', 'completed', 'withdrawn')),
    reason         TEXT    NOT NULL,
    note           TEXT    NOT NULL,
    at             BIGINT  NOT NULL
);
INSERT INTO application_events SELECT id, application_id, actor_id, actor_role, from_status, to_status, reason, note, at
    FROM saved_events;
CREATE INDEX application_events_by_application ON application_events (application_id, id);


CREATE TABLE notifications (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    application_id BIGINT  REFERENCES applications (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('status_changed')),
    params         TEXT    NOT NULL,
    read_at        BIGINT,
    created_at     BIGINT  NOT NULL
);
INSERT INTO notifications SELECT id, user_id, application_id, kind, params, read_at, created_at FROM saved_notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, id);


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
INSERT INTO certificates SELECT id, number, verification_code, application_id, holder_id, holder_name, status, issued_at, revoked_at
    FROM saved_certificates;
CREATE INDEX certificates_by_holder ON certificates (holder_id);
DROP TABLE saved_events;
DROP TABLE saved_notifications;
DROP TABLE saved_certificates;

-- 5. Profiles: nothing points at them.
CREATE TABLE profiles_new (
    user_id            BIGINT PRIMARY KEY REFERENCES users (id),
    full_name          TEXT   NOT NULL,
    resident_id_enc    TEXT   NOT NULL,
    resident_id_hash   TEXT   NOT NULL UNIQUE,
    resident_id_masked TEXT   NOT NULL,
    birth_date         TEXT   NOT NULL,
    gender             TEXT   NOT NULL CHECK (gender IN ('male', 'female')),
    graduation_cert_no TEXT   NOT NULL,
    school             TEXT   NOT NULL,
    major              TEXT   NOT NULL,
    degree             TEXT   NOT NULL CHECK (degree IN ('junior_college', 'bachelor', 'master', 'doctorate')),
    graduation_date    TEXT   NOT NULL,
    household_place    TEXT   NOT NULL CHECK (household_place IN ('shizhong', 'shawan', 'wutongqiao', 'jinkouhe', 'qianwei', 'jingyan', 'jiajiang', 'muchuan', 'ebian', 'mabian', 'emeishan', 'other')),
    phone              TEXT   NOT NULL,
    employment_status  TEXT   NOT NULL CHECK (employment_status IN ('unemployed', 'employed', 'flexible', 'self_employed', 'studying')),
    intentions         TEXT   NOT NULL,
    service_needs      TEXT   NOT NULL,
    needs_note         TEXT   NOT NULL,
    updated_at         BIGINT NOT NULL
);
INSERT INTO profiles_new SELECT user_id, full_name, resident_id_enc, resident_id_hash, resident_id_masked, birth_date, gender,
    graduation_cert_no, school, major, degree, graduation_date, household_place, phone, employment_status, intentions,
    service_needs, needs_note, updated_at FROM profiles;
DROP TABLE profiles;
ALTER TABLE profiles_new RENAME TO profiles;
CREATE INDEX profiles_by_place ON profiles (household_place);
