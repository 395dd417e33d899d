-- 0013 the organisation's own page: address, industry, size and a contact number the employer
-- keeps up to date, and its business licence (an upload, like graduates' documents). Kept in
-- step with ../postgres/0013_organisation.sql.
ALTER TABLE employers ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE employers ADD COLUMN industry TEXT NOT NULL DEFAULT '';
ALTER TABLE employers ADD COLUMN size TEXT NOT NULL DEFAULT 'unknown' CHECK (size IN ('unknown', 'micro', 'small', 'medium', 'large'));
ALTER TABLE employers ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';

-- The business licence is a stored file like any other, of its own purpose. SQLite cannot
-- change the purpose CHECK in place: uploads is rebuilt with the same ids, and with foreign
-- keys deferred to the commit (complaints point at their evidence) every reference holds again
-- when they are checked.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE saved_uploads AS SELECT * FROM uploads;
DROP TABLE uploads;
CREATE TABLE uploads (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id   BIGINT  REFERENCES users (id),         -- NULL: evidence from an anonymous reporter
    purpose    TEXT    NOT NULL CHECK (purpose IN ('id_card', 'graduation_certificate', 'complaint_evidence', 'business_licence')),
    sha256     TEXT    NOT NULL,
    mime       TEXT    NOT NULL,
    size       BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL
);
INSERT INTO uploads SELECT id, owner_id, purpose, sha256, mime, size, created_at FROM saved_uploads;
DROP TABLE saved_uploads;
CREATE INDEX uploads_by_owner ON uploads (owner_id, purpose, id);
ALTER TABLE employers ADD COLUMN licence_upload_id BIGINT REFERENCES uploads (id);
