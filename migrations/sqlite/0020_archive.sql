-- 0020 personnel archives (人事档案): where each archive is, its movements, and CSV imports
-- waiting between their dry run and their import. Kept in step with ../postgres/0020_archive.sql;
-- a test compares both.

-- Each archive is one row saying where it is now; every movement is a row of its own. The holder
-- is named by the ID number the way profiles keep it (sealed, a keyed lookup hash, a mask), so
-- a graduate's archive is found from their profile by the hash, and a stolen table names nobody.
-- The check code printed on the transfer notice is kept only as a keyed hash.
CREATE TABLE archives (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    holder_name        TEXT    NOT NULL,
    resident_id_enc    TEXT    NOT NULL,
    resident_id_hash   TEXT    NOT NULL,
    resident_id_masked TEXT    NOT NULL,
    check_hash         TEXT    NOT NULL,
    -- Where it is: a school, the public talent service of a place (place set), or an employer.
    location_kind      TEXT    NOT NULL CHECK (location_kind IN ('school', 'talent_service', 'employer')),
    location_place     TEXT    CHECK (location_place IN ('shizhong', 'shawan', 'wutongqiao', 'jinkouhe', 'qianwei', 'jingyan',
                                                          'jiajiang', 'muchuan', 'ebian', 'mabian', 'emeishan', 'other')),
    location_name      TEXT    NOT NULL,
    created_by         BIGINT  NOT NULL REFERENCES users (id),
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL
);
-- One archive per person.
CREATE UNIQUE INDEX archives_one_per_holder ON archives (resident_id_hash);
CREATE INDEX archives_by_name ON archives (holder_name);

CREATE TABLE archive_movements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    archive_id      BIGINT  NOT NULL REFERENCES archives (id),
    from_kind       TEXT    NOT NULL CHECK (from_kind IN ('school', 'talent_service', 'employer')),
    from_place      TEXT    CHECK (from_place IN ('shizhong', 'shawan', 'wutongqiao', 'jinkouhe', 'qianwei', 'jingyan',
                                                  'jiajiang', 'muchuan', 'ebian', 'mabian', 'emeishan', 'other')),
    from_name       TEXT    NOT NULL,
    to_kind         TEXT    NOT NULL CHECK (to_kind IN ('school', 'talent_service', 'employer')),
    to_place        TEXT    CHECK (to_place IN ('shizhong', 'shawan', 'wutongqiao', 'jinkouhe', 'qianwei', 'jingyan',
                                                'jiajiang', 'muchuan', 'ebian', 'mabian', 'emeishan', 'other')),
    to_name         TEXT    NOT NULL,
    moved_on        TEXT    NOT NULL,                -- YYYY-MM-DD, China Standard Time
    transfer_number TEXT    NOT NULL,
    note            TEXT    NOT NULL,
    recorded_by     BIGINT  NOT NULL REFERENCES users (id),
    recorded_at     BIGINT  NOT NULL
);
CREATE INDEX archive_movements_by_archive ON archive_movements (archive_id, id);

-- A CSV file between its dry run and its import: the contents sealed with the server's key
-- (they hold ID numbers), read again at import time so the import adds exactly the rows the
-- report called good as the database stands then. `imported_at` is set once, by a conditional
-- UPDATE, so a file is never imported twice.
CREATE TABLE archive_imports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uploaded_by  BIGINT  NOT NULL REFERENCES users (id),
    contents_enc TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    imported_at  BIGINT,
    imported     BIGINT  NOT NULL
);

-- Notifications learn the archive's movement. Nothing points at them, so the table is rebuilt.
CREATE TABLE notifications_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    application_id BIGINT  REFERENCES applications (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('status_changed', 'job_application_moved', 'vacancy_recommended', 'archive_moved')),
    params         TEXT    NOT NULL,
    read_at        BIGINT,
    created_at     BIGINT  NOT NULL
);
INSERT INTO notifications_new SELECT id, user_id, application_id, kind, params, read_at, created_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, id);
