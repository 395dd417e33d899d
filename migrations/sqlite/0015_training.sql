-- 0015 skills and startup training (技能培训, 创业培训): the institutions case workers keep, their
-- programmes with seats, and graduates' enrollments with results and the subsidy claimed on them.
-- Kept in step with ../postgres/0015_training.sql; a test compares both.

-- Designated institutions are records case workers maintain, not accounts (see app/src/training).
CREATE TABLE training_institutions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    contact     TEXT    NOT NULL,
    created_by  BIGINT  NOT NULL REFERENCES users (id),
    created_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX training_institutions_one_name ON training_institutions (name);

CREATE TABLE training_programmes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    institution_id   BIGINT  NOT NULL REFERENCES training_institutions (id),
    title            TEXT    NOT NULL,
    occupation       TEXT    NOT NULL,
    level            TEXT    NOT NULL CHECK (level IN ('basic', 'intermediate', 'advanced', 'completion')),
    kind             TEXT    NOT NULL CHECK (kind IN ('skills', 'startup')),
    description      TEXT    NOT NULL,
    starts_on        TEXT    NOT NULL,                -- YYYY-MM-DD, China Standard Time
    ends_on          TEXT    NOT NULL,
    -- Seats are counted beside the limit: an enrollment adds one with
    -- `UPDATE … SET seats_taken = seats_taken + 1 WHERE seats_taken < seats` in its write
    -- transaction, which both databases run one at a time per row.
    seats            BIGINT  NOT NULL,
    seats_taken      BIGINT  NOT NULL,
    place            TEXT    NOT NULL CHECK (place IN ('shizhong', 'shawan', 'wutongqiao', 'jinkouhe', 'qianwei', 'jingyan',
                                                       'jiajiang', 'muchuan', 'ebian', 'mabian', 'emeishan', 'other')),
    venue            TEXT    NOT NULL,
    fee_fen          BIGINT  NOT NULL,
    subsidy_eligible BIGINT  NOT NULL,                -- 1: a passed participant may claim the subsidy
    created_by       BIGINT  NOT NULL REFERENCES users (id),
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
-- The public list: upcoming by start date.
CREATE INDEX training_programmes_by_start ON training_programmes (starts_on, id);

-- One enrollment per graduate and programme; cancelling deletes the row and gives the seat back.
CREATE TABLE training_enrollments (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id       BIGINT  NOT NULL REFERENCES training_programmes (id),
    graduate_id        BIGINT  NOT NULL REFERENCES users (id),
    enrolled_at        BIGINT  NOT NULL,
    result             TEXT    NOT NULL CHECK (result IN ('pending', 'passed', 'failed')),
    certificate_number TEXT    NOT NULL,
    result_by          BIGINT  REFERENCES users (id),
    result_at          BIGINT,
    -- The training_subsidy application claimed on this enrollment; set by a conditional UPDATE
    -- (`WHERE claim_application_id IS NULL`), cleared again if that claim is rejected or withdrawn.
    claim_application_id BIGINT REFERENCES applications (id)
);
CREATE UNIQUE INDEX training_enrollments_one_per_graduate ON training_enrollments (programme_id, graduate_id);
CREATE INDEX training_enrollments_by_graduate ON training_enrollments (graduate_id, id);
CREATE INDEX training_enrollments_by_claim ON training_enrollments (claim_application_id);
