-- 0004 vacancies: postings with their screening and timeline, the screening rules, and the
-- keyword index. The application turns title and description into tokens (Chinese character
-- pairs and lower-case words, `search_tokens`); each database indexes that column its own way,
-- which is the only difference between ../postgres/0004_vacancies.sql and this file.

CREATE TABLE vacancies (
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
    status        TEXT    NOT NULL CHECK (status IN ('draft', 'pending_review', 'published', 'closed', 'expired', 'rejected')),
    version       BIGINT  NOT NULL,
    screening     TEXT    NOT NULL,                    -- JSON: what the screening found
    review_note   TEXT    NOT NULL,                    -- a case worker's reason, shown to the employer
    search_tokens TEXT    NOT NULL,                    -- title and description as search tokens (vacancies::search)
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
-- The public list: published, newest first; the filters narrow it.
CREATE INDEX vacancies_listed ON vacancies (status, expires_on, id);
CREATE INDEX vacancies_listed_by_category ON vacancies (category, status, id);
CREATE INDEX vacancies_listed_by_place ON vacancies (place, status, id);
CREATE INDEX vacancies_listed_by_salary ON vacancies (status, salary_max, id);
CREATE INDEX vacancies_by_employer ON vacancies (employer_id, id);

-- A vacancy's timeline (the shared status-machine step writes it).
CREATE TABLE vacancy_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    vacancy_id  BIGINT  NOT NULL REFERENCES vacancies (id),
    actor_id    BIGINT  NOT NULL REFERENCES users (id),
    actor_role  TEXT    NOT NULL CHECK (actor_role IN ('graduate', 'employer', 'case_worker', 'admin')),
    from_status TEXT    NOT NULL CHECK (from_status IN ('draft', 'pending_review', 'published', 'closed', 'expired', 'rejected')),
    to_status   TEXT    NOT NULL CHECK (to_status IN ('draft', 'pending_review', 'published', 'closed', 'expired', 'rejected')),
    reason      TEXT    NOT NULL,
    note        TEXT    NOT NULL,
    at          BIGINT  NOT NULL
);
CREATE INDEX vacancy_events_by_vacancy ON vacancy_events (vacancy_id, id);

-- Words that hold a posting for review; admins add them and switch them off.
CREATE TABLE screening_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL CHECK (kind IN ('fee', 'deposit', 'id_document', 'training_loan', 'pay')),
    pattern    TEXT    NOT NULL UNIQUE,               -- compared after NFKC and lower-casing
    active     BIGINT  NOT NULL,                      -- 1 or 0
    created_at BIGINT  NOT NULL
);

-- SQLite: an FTS5 index over the tokens (unicode61 keeps each token whole), kept in step with
-- the table by triggers. Its rowid is the vacancy's id.
CREATE VIRTUAL TABLE vacancies_search USING fts5 (search_tokens, content = 'vacancies', content_rowid = 'id', tokenize = 'unicode61');
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
