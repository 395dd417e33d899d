-- 0013 the organisation's own page: address, industry, size and a contact number the employer
-- keeps up to date, and its business licence (an upload, like graduates' documents). Kept in
-- step with ../sqlite/0013_organisation.sql.
ALTER TABLE employers ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE employers ADD COLUMN industry TEXT NOT NULL DEFAULT '';
ALTER TABLE employers ADD COLUMN size TEXT NOT NULL DEFAULT 'unknown' CHECK (size IN ('unknown', 'micro', 'small', 'medium', 'large'));
ALTER TABLE employers ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';

-- The business licence is a stored file like any other, of its own purpose.
ALTER TABLE uploads
    DROP CONSTRAINT uploads_purpose_check,
    ADD CONSTRAINT uploads_purpose_check CHECK (purpose IN ('id_card', 'graduation_certificate', 'complaint_evidence', 'business_licence'));
ALTER TABLE employers ADD COLUMN licence_upload_id BIGINT REFERENCES uploads (id);
