-- 0014 youth traineeships (青年见习): the employers a case worker made traineeship bases, the
-- seats of their traineeship positions, and each sign-up's traineeship. Kept in step with
-- ../postgres/0014_traineeship.sql; a test compares both.

-- A base is a verified employer a case worker flagged; unflagging deletes the row (the audit
-- log keeps who did what). Only a base's traineeship positions take sign-ups.
CREATE TABLE traineeship_bases (
    employer_id BIGINT PRIMARY KEY REFERENCES employers (id),
    flagged_by  BIGINT NOT NULL REFERENCES users (id),
    flagged_at  BIGINT NOT NULL
);

-- The seats a traineeship position's sign-ups hold, counted beside `seats`: a sign-up adds one
-- with `UPDATE … SET seats_taken = seats_taken + 1 WHERE seats_taken < seats`, which both
-- databases run one at a time per row, so no number of simultaneous sign-ups passes `seats`.
ALTER TABLE vacancies ADD COLUMN seats_taken BIGINT NOT NULL DEFAULT 0;

-- One row per sign-up (an application of kind `traineeship`). `released_at` is set once, when
-- the seat goes back to the position (declined, withdrawn, finished), so it is given back once.
CREATE TABLE traineeships (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id     BIGINT  NOT NULL UNIQUE REFERENCES applications (id),
    vacancy_id         BIGINT  NOT NULL REFERENCES vacancies (id),
    employer_id        BIGINT  NOT NULL REFERENCES employers (id),
    applicant_id       BIGINT  NOT NULL REFERENCES users (id),
    signed_up_at       BIGINT  NOT NULL,
    released_at        BIGINT,
    starts_on          TEXT,                          -- YYYY-MM-DD, set on acceptance
    ends_on            TEXT,                          -- planned last day: start + the position's months
    ended_on           TEXT,                          -- the real last day, once finished
    outcome            TEXT    CHECK (outcome IN ('completed', 'terminated')),
    termination_reason TEXT    NOT NULL DEFAULT ''
);
-- The base's list of its sign-ups, newest first.
CREATE INDEX traineeships_by_employer ON traineeships (employer_id, id);
CREATE INDEX traineeships_by_vacancy ON traineeships (vacancy_id);
