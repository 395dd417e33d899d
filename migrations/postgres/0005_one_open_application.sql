-- 0005 one open application per applicant and kind; outbox bodies that carry a secret link.
-- Kept in step with ../sqlite/0005_one_open_application.sql; a test compares both schemas.
-- (0004 is the vacancies migration.)

-- "Not already applied" is checked when applying, but two submissions at the same moment can
-- both pass the check (on PostgreSQL, each transaction reads before the other has written).
-- The index makes the second insert fail; the code turns that into 409 Conflict. Should an
-- existing database already hold two open applications of one kind for one applicant, this
-- migration fails and names the index: a case worker withdraws the duplicate, then the server
-- is started again.
CREATE UNIQUE INDEX applications_one_open_per_kind ON applications (applicant_id, kind)
    WHERE status IN ('draft', 'submitted', 'in_review', 'needs_info');

-- Messages with a single-use link (verification, password reset, staff invitation) lose their
-- bodies once delivered: the row stays as a record (who, what, when), the link does not.
-- 1 = erase after sending, 0 = keep.
ALTER TABLE outbox ADD COLUMN erase_after_send BIGINT NOT NULL DEFAULT 0;

-- Rows written before this column existed: the ones with such a link are marked, and those
-- already delivered are erased now.
UPDATE outbox SET erase_after_send = 1
    WHERE body_text LIKE '%/verify-email?token=%' OR body_text LIKE '%/reset-password?token=%';
UPDATE outbox SET body_text = '', body_html = ''
    WHERE erase_after_send = 1 AND status = 'sent';
