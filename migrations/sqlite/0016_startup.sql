-- 0016 startup services and the flexible-employment subsidy: the startup loan's decision, the
-- one-off subsidy granted, incubation bases with their free space and admissions, the
-- flexible-employment subsidy's figures, and three purposes of stored files (the business plan,
-- the subsidy's evidence, the proof of contributions). Kept in step with
-- ../postgres/0016_startup.sql.

-- SQLite cannot change the purpose CHECK in place: uploads is rebuilt with the same ids (as in
-- 0013), with foreign keys deferred to the commit.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE saved_uploads AS SELECT * FROM uploads;
DROP TABLE uploads;
CREATE TABLE uploads (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id   BIGINT  REFERENCES users (id),         -- NULL: evidence from an anonymous reporter
    purpose    TEXT    NOT NULL CHECK (purpose IN ('id_card', 'graduation_certificate', 'complaint_evidence', 'business_licence', 'business_plan', 'startup_evidence', 'insurance_proof')),
    sha256     TEXT    NOT NULL,
    mime       TEXT    NOT NULL,
    size       BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL
);
INSERT INTO uploads SELECT id, owner_id, purpose, sha256, mime, size, created_at FROM saved_uploads;
DROP TABLE saved_uploads;
CREATE INDEX uploads_by_owner ON uploads (owner_id, purpose, id);

-- The decision on a startup loan: what the case worker approved (never more than was asked
-- for, nor than the cap in force) and, later, when the bank paid it out. Written in the
-- approving transaction; the application's payload keeps what the graduate asked for.
CREATE TABLE startup_loans (
    application_id     BIGINT  PRIMARY KEY REFERENCES applications (id),
    approved_fen       BIGINT  NOT NULL CHECK (approved_fen > 0),
    approved_years     BIGINT  NOT NULL CHECK (approved_years > 0),
    approved_by        BIGINT  NOT NULL REFERENCES users (id),
    approved_at        BIGINT  NOT NULL,
    disbursed_at       BIGINT
);

-- The one-off startup subsidy granted on approval: the amount in force that day and the
-- months the business had operated, as the case worker saw them.
CREATE TABLE startup_subsidies (
    application_id   BIGINT  PRIMARY KEY REFERENCES applications (id),
    amount_fen       BIGINT  NOT NULL CHECK (amount_fen >= 0),
    months_operating BIGINT  NOT NULL,
    granted_at       BIGINT  NOT NULL
);

-- Incubation bases (创业孵化基地) that case workers keep. Free space is a counter beside the
-- total: an admission takes space with `UPDATE … SET free_space = free_space - n WHERE
-- free_space >= n`, one row at a time on both databases, so simultaneous approvals can never
-- hand out more than there is; the CHECK is the last word.
CREATE TABLE incubation_bases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    total_space BIGINT  NOT NULL CHECK (total_space >= 0),   -- square metres
    free_space  BIGINT  NOT NULL CHECK (free_space >= 0 AND free_space <= total_space),
    services    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX incubation_bases_unique_name ON incubation_bases (name);

-- An approved admission: the space it took from its base; `left_at` once the founder left and
-- the space went back.
CREATE TABLE incubation_admissions (
    application_id BIGINT  PRIMARY KEY REFERENCES applications (id),
    base_id        BIGINT  NOT NULL REFERENCES incubation_bases (id),
    space          BIGINT  NOT NULL CHECK (space > 0),
    admitted_at    BIGINT  NOT NULL,
    left_at        BIGINT
);
CREATE INDEX incubation_admissions_by_base ON incubation_admissions (base_id, application_id);

-- The flexible-employment social insurance subsidy as recomputed on approval from the months
-- the graduate listed and the parameters in force that day.
CREATE TABLE flexible_subsidies (
    application_id  BIGINT  PRIMARY KEY REFERENCES applications (id),
    months_counted  BIGINT  NOT NULL,
    paid_fen        BIGINT  NOT NULL,
    share_percent   TEXT    NOT NULL,                -- as the parameter read, e.g. '66.67'
    amount_fen      BIGINT  NOT NULL CHECK (amount_fen >= 0),
    computed_at     BIGINT  NOT NULL
);
