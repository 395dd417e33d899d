-- 0010 hiring: graduates apply to published vacancies, and the employer moves each applicant
-- through the pipeline; every move is one row of the timeline and one notification. Kept in
-- step with ../postgres/0010_hiring.sql; a test compares both schemas.

-- One application per graduate and vacancy, ever: a withdrawn or rejected application is
-- history, not a slot to fill again.
CREATE TABLE job_applications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    vacancy_id      BIGINT  NOT NULL REFERENCES vacancies (id),
    applicant_id    BIGINT  NOT NULL REFERENCES users (id),
    status          TEXT    NOT NULL CHECK (status IN ('applied', 'shortlisted', 'interview', 'offered', 'hired', 'rejected', 'withdrawn')),
    version         BIGINT  NOT NULL,
    cover_note      TEXT    NOT NULL,
    interview_at    TEXT,                               -- YYYY-MM-DDTHH:MM, Beijing time as typed
    interview_place TEXT,
    confirmed_at    BIGINT,                             -- the graduate confirmed the hire
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    UNIQUE (vacancy_id, applicant_id)
);
CREATE INDEX job_applications_by_applicant ON job_applications (applicant_id, id);
CREATE INDEX job_applications_by_vacancy_status ON job_applications (vacancy_id, status);

CREATE TABLE job_application_events (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    job_application_id BIGINT  NOT NULL REFERENCES job_applications (id),
    actor_id           BIGINT  NOT NULL REFERENCES users (id),
    actor_role         TEXT    NOT NULL CHECK (actor_role IN ('graduate', 'employer', 'case_worker', 'admin')),
    from_status        TEXT    NOT NULL CHECK (from_status IN ('applied', 'shortlisted', 'interview', 'offered', 'hired', 'rejected', 'withdrawn')),
    to_status          TEXT    NOT NULL CHECK (to_status IN ('applied', 'shortlisted', 'interview', 'offered', 'hired', 'rejected', 'withdrawn')),
    reason             TEXT    NOT NULL,
    note               TEXT    NOT NULL,
    at                 BIGINT  NOT NULL
);
CREATE INDEX job_application_events_by_application ON job_application_events (job_application_id, id);

-- Notifications learn a second kind. Nothing points at them, so the table is simply rebuilt.
CREATE TABLE notifications_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    application_id BIGINT  REFERENCES applications (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('status_changed', 'job_application_moved', 'vacancy_recommended')),
    params         TEXT    NOT NULL,
    read_at        BIGINT,
    created_at     BIGINT  NOT NULL
);
INSERT INTO notifications_new SELECT id, user_id, application_id, kind, params, read_at, created_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, id);
