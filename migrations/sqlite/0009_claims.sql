-- 0009 claims that wait for a verified address: an employer's credit code and a graduate's ID
-- number are held only by an account whose email answers, and a second claim goes to a case
-- worker instead of being refused on the form (which told anyone who was registered, and let
-- a throwaway account lock the real owner out). Kept in step with ../postgres/0009_claims.sql.
--
-- SQLite cannot drop a column's UNIQUE, so `employers` and `profiles` are rebuilt. Other tables
-- point at `employers` (vacancies, complaints, fair booths); with foreign keys deferred to the commit, the table is dropped and made
-- again with every row under its old id, so every reference holds again when the check runs.
PRAGMA defer_foreign_keys = ON;

-- Employers: the credit code is held (`claimed_at`) from the moment the contact's email is
-- verified until a case worker rejects the organisation; only one row holds a code.
CREATE TEMP TABLE saved_employers AS SELECT * FROM employers;
DROP TABLE employers;
CREATE TABLE employers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         BIGINT  NOT NULL REFERENCES users (id),
    name            TEXT    NOT NULL,
    credit_code     TEXT    NOT NULL,                   -- unified social credit code, checked
    verification    TEXT    NOT NULL DEFAULT 'pending' CHECK (verification IN ('pending', 'verified', 'rejected')),
    decided_by      BIGINT  REFERENCES users (id),
    decided_at      BIGINT,
    decision_reason TEXT,
    created_at      BIGINT  NOT NULL,
    suspended_at    BIGINT,                             -- added by 0007
    suspension_reason TEXT,
    claimed_at      BIGINT
);
-- Rows from before held their code by the old UNIQUE; those a verified address or a case
-- worker stands behind keep it, rejected and never-verified ones let it go.
INSERT INTO employers (id, user_id, name, credit_code, verification, decided_by, decided_at, decision_reason, created_at,
    suspended_at, suspension_reason, claimed_at)
SELECT s.id, s.user_id, s.name, s.credit_code, s.verification, s.decided_by, s.decided_at, s.decision_reason, s.created_at,
       s.suspended_at, s.suspension_reason,
       CASE WHEN s.verification = 'verified'
              OR (s.verification = 'pending' AND (SELECT u.email_verified_at FROM users u WHERE u.id = s.user_id) IS NOT NULL)
            THEN s.created_at END
FROM saved_employers s;
DROP TABLE saved_employers;
CREATE INDEX employers_by_verification ON employers (verification, created_at);
CREATE INDEX employers_by_user ON employers (user_id);
CREATE INDEX employers_by_code ON employers (credit_code);
CREATE UNIQUE INDEX employers_one_claim_per_code ON employers (credit_code) WHERE claimed_at IS NOT NULL;

-- Profiles: a number another account holds is saved with `id_conflict_at` set, and only rows
-- without it are unique.
CREATE TEMP TABLE saved_profiles AS SELECT * FROM profiles;
DROP TABLE profiles;
CREATE TABLE profiles (
    user_id            BIGINT PRIMARY KEY REFERENCES users (id),
    full_name          TEXT   NOT NULL,
    resident_id_enc    TEXT   NOT NULL,
    resident_id_hash   TEXT   NOT NULL,
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
    updated_at         BIGINT NOT NULL,
    id_conflict_at     BIGINT
);
INSERT INTO profiles (user_id, full_name, resident_id_enc, resident_id_hash, resident_id_masked, birth_date, gender,
    graduation_cert_no, school, major, degree, graduation_date, household_place, phone, employment_status, intentions,
    service_needs, needs_note, updated_at)
SELECT user_id, full_name, resident_id_enc, resident_id_hash, resident_id_masked, birth_date, gender,
    graduation_cert_no, school, major, degree, graduation_date, household_place, phone, employment_status, intentions,
    service_needs, needs_note, updated_at FROM saved_profiles;
DROP TABLE saved_profiles;
CREATE INDEX profiles_by_place ON profiles (household_place);
CREATE UNIQUE INDEX profiles_one_holder_per_id ON profiles (resident_id_hash) WHERE id_conflict_at IS NULL;

-- A number claimed by a second account: both accounts, until a case worker has seen the
-- documents and said whose it is.
CREATE TABLE id_conflicts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    claimant_id      BIGINT  NOT NULL REFERENCES users (id),
    holder_id        BIGINT  NOT NULL REFERENCES users (id),
    resident_id_hash TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('open', 'claimant_owns', 'holder_owns', 'withdrawn')),
    created_at       BIGINT  NOT NULL,
    decided_by       BIGINT  REFERENCES users (id),
    decided_at       BIGINT,
    decision_note    TEXT
);
CREATE UNIQUE INDEX id_conflicts_one_open_per_claimant ON id_conflicts (claimant_id) WHERE status = 'open';
CREATE INDEX id_conflicts_by_status ON id_conflicts (status, created_at);
