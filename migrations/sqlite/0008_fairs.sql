-- 0008 job fairs (招聘会): fairs that case workers hold, the booths employers book and the
-- places graduates take. Kept in step with ../postgres/0008_fairs.sql; a test compares both.

CREATE TABLE fairs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    format       TEXT    NOT NULL CHECK (format IN ('offline', 'online')),
    venue        TEXT    NOT NULL,                    -- offline: the address; '' online
    link         TEXT    NOT NULL,                    -- online: where it is held; '' offline
    held_on      TEXT    NOT NULL,                    -- YYYY-MM-DD, China Standard Time
    starts_at    TEXT    NOT NULL,                    -- HH:MM
    ends_at      TEXT    NOT NULL,                    -- HH:MM
    -- Capacity is kept as counters beside the limits: a booking adds one with
    -- `UPDATE … SET booths_taken = booths_taken + 1 WHERE booths_taken < booth_count`, which
    -- both databases run one at a time per row, so no number of simultaneous bookings can pass
    -- the limit. A NULL limit means no limit (online fairs, graduates' places).
    booth_count  BIGINT,
    booths_taken BIGINT  NOT NULL,
    seat_count   BIGINT,
    seats_taken  BIGINT  NOT NULL,
    created_by   BIGINT  NOT NULL REFERENCES users (id),
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
-- The public list: upcoming by date, past ones newest first.
CREATE INDEX fairs_by_date ON fairs (held_on, id);

-- One booth per employer per fair; cancelling deletes the row and gives the booth back.
CREATE TABLE fair_booths (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    fair_id     BIGINT  NOT NULL REFERENCES fairs (id),
    employer_id BIGINT  NOT NULL REFERENCES employers (id),
    booked_by   BIGINT  NOT NULL REFERENCES users (id),
    booked_at   BIGINT  NOT NULL,
    reminded_at BIGINT                                -- set when the day-before reminder is queued
);
CREATE UNIQUE INDEX fair_booths_one_per_employer ON fair_booths (fair_id, employer_id);
CREATE INDEX fair_booths_by_employer ON fair_booths (employer_id, fair_id);

-- One place per graduate per fair; cancelling deletes the row and gives the place back.
CREATE TABLE fair_registrations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    fair_id       BIGINT  NOT NULL REFERENCES fairs (id),
    user_id       BIGINT  NOT NULL REFERENCES users (id),
    registered_at BIGINT  NOT NULL,
    reminded_at   BIGINT
);
CREATE UNIQUE INDEX fair_registrations_one_per_graduate ON fair_registrations (fair_id, user_id);
CREATE INDEX fair_registrations_by_user ON fair_registrations (user_id, fair_id);
