-- 0019 application drafts: what a graduate typed into a service's form and saved without
-- sending, one per graduate and kind, read back into the form when it opens again and deleted
-- when the application is submitted. `fields` is the form's fields as a JSON object of
-- strings, stored as typed (not checked: a draft may be half done). Files are not part of a
-- draft: they are kept on file by their own upload forms. Kept in step with
-- ../postgres/0019_application_drafts.sql.

CREATE TABLE application_drafts (
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    kind       TEXT    NOT NULL CHECK (kind IN ('jobseeker_registration', 'employment_certificate', 'traineeship', 'startup_training', 'startup_loan', 'startup_subsidy', 'incubation', 'skills_training', 'training_subsidy', 'flexible_insurance_subsidy')),
    fields     TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL,
    UNIQUE (user_id, kind)
);
