-- 0007 complaints (投诉举报): complaints with their timeline and their own reference numbers,
-- evidence files beside the graduates' documents, and suspension of a vacancy or of an employer.
-- Kept in step with ../postgres/0007_complaints.sql; a test compares both schemas.

-- 1. An employer can be suspended by a case worker from a complaint: it may not publish until
-- the suspension is lifted. Added columns only: the employers table is not rebuilt (another
-- migration changes it).
ALTER TABLE employers ADD COLUMN suspended_at BIGINT;                 -- NULL: not suspended
ALTER TABLE employers ADD COLUMN suspension_reason TEXT;              -- what the employer was told

-- 2. A suspended vacancy is a status of its own ('suspended', reached only by a case worker's
-- move), not a column beside the status: search, the feed and the vacancy page already show
-- only status = 'published', so a suspension hides a posting at once through the indexes
-- search uses (vacancies_listed and the rest all lead with or contain the status), with no new
-- condition, no join to employers and no new index; the move also lands on the vacancy's own
-- timeline, and the employer cannot edit or republish it (it is not an editable status). A
-- suspended employer's postings are each moved to 'suspended' the same way, so search never
-- needs to look at the employer.
--
-- SQLite cannot change a CHECK in place, so vacancies and its timeline are rebuilt as 0003 did
-- for applications: the rows keep their ids, the timeline (which points at vacancies) is set
-- aside and rebuilt after. The FTS5 index `vacancies_search` holds tokens by vacancy id and
-- names its content table only by name, so it stays valid over the same ids and tokens; its
-- triggers belong to the old table and are created again.
CREATE TABLE vacancies_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id   BIGINT  NOT NULL REFERENCES employers (id),
    title         TEXT    NOT NULL,
    description   TEXT    NOT NULL,
    category      TEXT    NOT NULL CHECK (category IN ('finance', 'software', 'sales', 'education', 'health', 'manufacturing', 'construction', 'tourism', 'logistics', 'administration', 'agriculture', 'other')),
    place         TEXT    NOT NULL CHECK (place IN ('shizhong', 'shawan', 'wutongqiao', 'jinkouhe', 'qianwei', 'jingyan', 'jiajiang', 'muchuan', 'ebian', 'mabian', 'emeishan', 'other')),
    salary_min    BIGINT  NOT NULL,                    -- yuan per month
    salary_max    BIGINT  NOT NULL,
    education     TEXT    NOT NULL CHECK (education IN ('any', 'high_school', 'junior_college', 'bachelor', 'master', 'doctorate')),
    headcount     BIGINT  NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('job', 'traineeship')),
    seats         BIGINT,                              -- traineeship positions only
    period_months BIGINT,
    stipend       BIGINT,                              -- yuan per month
    expires_on    TEXT    NOT NULL,                    -- YYYY-MM-DD, the last day it is listed
    status        TEXT    NOT NULL CHECK (status IN ('draft', 'pending_review', 'published', 'closed', 'expired', 'rejected', 'suspended')),
    version       BIGINT  NOT NULL,
    screening     TEXT    NOT NULL,                    -- JSON: what the screening found
    review_note   TEXT    NOT NULL,                    -- a case worker's reason, shown to the employer
    search_tokens TEXT    NOT NULL,                    -- title and description as search tokens (vacancies::search)
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
INSERT INTO vacancies_new SELECT id, employer_id, title, description, category, place, salary_min, salary_max, education,
    headcount, kind, seats, period_months, stipend, expires_on, status, version, screening, review_note, search_tokens,
    created_at, updated_at FROM vacancies;

CREATE TEMP TABLE saved_vacancy_events AS SELECT * FROM vacancy_events;
DROP TABLE vacancy_events;
-- Drops the old table's indexes and triggers with it; dropping fires no trigger, so the FTS5
-- index keeps its rows.
DROP TABLE vacancies;
ALTER TABLE vacancies_new RENAME TO vacancies;
CREATE INDEX vacancies_listed ON vacancies (status, expires_on, id);
CREATE INDEX vacancies_listed_by_category ON vacancies (category, status, id);
CREATE INDEX vacancies_listed_by_place ON vacancies (place, status, id);
CREATE INDEX vacancies_listed_by_salary ON vacancies (status, salary_max, id);
CREATE INDEX vacancies_by_employer ON vacancies (employer_id, id);
CREATE TRIGGER vacancies_search_insert AFTER INSERT ON vacancies BEGIN
    INSERT INTO vacancies_search (rowid, search_tokens) VALUES (new.id, new.search_tokens);
END;
CREATE TRIGGER vacancies_search_delete AFTER DELETE ON vacancies BEGIN
    INSERT INTO vacancies_search (vacancies_search, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens);
END;
CREATE TRIGGER vacancies_search_update AFTER UPDATE OF search_tokens ON vacancies BEGIN
    INSERT INTO vacancies_search (vacancies_search, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens);
    INSERT INTO vacancies_search (rowid, search_tokens) VALUES (new.id, new.search_tokens);
END;

CREATE TABLE vacancy_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    vacancy_id  BIGINT  NOT NULL REFERENCES vacancies (id),
    actor_id    BIGINT  NOT NULL REFERENCES users (id),
    actor_role  TEXT    NOT NULL CHECK (actor_role IN ('graduate', 'employer', 'case_worker', 'admin')),
    from_status TEXT    NOT NULL CHECK (from_status IN ('draft', 'pending_review', 'published', 'closed', 'expired', 'rejected', 'suspended')),
    to_status   TEXT    NOT NULL CHECK (to_status IN ('draft', 'pending_review', 'published', 'closed', 'expired', 'rejected', 'suspended')),
    reason      TEXT    NOT NULL,
    note        TEXT    NOT NULL,
    at          BIGINT  NOT NULL
);
INSERT INTO vacancy_events SELECT id, vacancy_id, actor_id, actor_role, from_status, to_status, reason, note, at
    FROM saved_vacancy_events;
CREATE INDEX vacancy_events_by_vacancy ON vacancy_events (vacancy_id, id);
DROP TABLE saved_vacancy_events;

-- 3. Uploads also hold complaint evidence, which an anonymous reporter sends without an
-- account: the owner may be empty, and 'complaint_evidence' is a purpose. One table keeps every
-- stored file, so a signed-in reporter's evidence counts against the same per-account quota as
-- the graduates' documents and is fetched through the same guarded route. Nothing points at
-- uploads yet, so it is simply rebuilt.
CREATE TABLE uploads_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id   BIGINT  REFERENCES users (id),         -- NULL: evidence from an anonymous reporter
    purpose    TEXT    NOT NULL CHECK (purpose IN ('id_card', 'graduation_certificate', 'complaint_evidence')),
    sha256     TEXT    NOT NULL,
    mime       TEXT    NOT NULL,
    size       BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL
);
INSERT INTO uploads_new SELECT id, owner_id, purpose, sha256, mime, size, created_at FROM uploads;
DROP TABLE uploads;
ALTER TABLE uploads_new RENAME TO uploads;
CREATE INDEX uploads_by_owner ON uploads (owner_id, purpose, id);

-- 4. Complaints. The reference (TS-YYYY-NNNNNN) counts per year on its own counter; the check
-- code the reporter keeps is stored only as a keyed hash (crypto::lookup_hash).
CREATE TABLE complaint_counters (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE complaints (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    reference     TEXT    NOT NULL UNIQUE,
    check_hash    TEXT    NOT NULL,
    category      TEXT    NOT NULL CHECK (category IN ('false_recruitment', 'illegal_fees', 'withheld_documents', 'training_loan', 'other')),
    reporter_id   BIGINT  REFERENCES users (id),       -- NULL: anonymous
    employer_id   BIGINT  REFERENCES employers (id),   -- the employer complained about, when known
    vacancy_id    BIGINT  REFERENCES vacancies (id),
    employer_name TEXT    NOT NULL,                    -- as the reporter wrote it ('' if not given)
    description   TEXT    NOT NULL,
    evidence_id   BIGINT  REFERENCES uploads (id),
    status        TEXT    NOT NULL CHECK (status IN ('received', 'in_progress', 'closed')),
    outcome       TEXT    CHECK (outcome IN ('upheld', 'not_upheld')),  -- set when closed
    outcome_text  TEXT    NOT NULL,                    -- what the reporter is told when closed
    version       BIGINT  NOT NULL,
    assignee_id   BIGINT  REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL,
    closed_at     BIGINT
);
-- The case workers' queue: open complaints oldest first, keyset-paged on (created_at, id).
CREATE INDEX complaints_open_queue ON complaints (created_at, id) WHERE status IN ('received', 'in_progress');
CREATE INDEX complaints_open_by_assignee ON complaints (assignee_id, created_at, id) WHERE status IN ('received', 'in_progress');
CREATE INDEX complaints_by_status ON complaints (status, created_at, id);
CREATE INDEX complaints_by_reporter ON complaints (reporter_id, id);
CREATE INDEX complaints_by_employer ON complaints (employer_id, id);
CREATE INDEX complaints_by_vacancy ON complaints (vacancy_id, id);

-- The timeline: filing, every case worker's step (taking it, notes, suspensions, closing),
-- written by the shared status-machine step. `note` names the step, `reason` holds its text.
CREATE TABLE complaint_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id BIGINT  NOT NULL REFERENCES complaints (id),
    actor_id     BIGINT  REFERENCES users (id),        -- NULL: an anonymous reporter
    actor_role   TEXT    CHECK (actor_role IN ('graduate', 'employer', 'case_worker', 'admin')),
    from_status  TEXT    NOT NULL CHECK (from_status IN ('received', 'in_progress', 'closed')),
    to_status    TEXT    NOT NULL CHECK (to_status IN ('received', 'in_progress', 'closed')),
    reason       TEXT    NOT NULL,
    note         TEXT    NOT NULL,
    at           BIGINT  NOT NULL
);
CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, id);
