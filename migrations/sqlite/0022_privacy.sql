-- Privacy (PIPL) self-service: the consent each person gave to the privacy notice, and the
-- moment an account was deleted by its owner (the row stays, anonymised, so the statistics and
-- the decided applications that must be kept still have an applicant to point at).

-- One row per consent: who, to which version of the notice, when. Kept when the account is
-- deleted (it proves the processing before that had a basis), with nothing personal in it.
CREATE TABLE privacy_consents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    notice_version TEXT    NOT NULL,
    consented_at   BIGINT  NOT NULL
);
CREATE INDEX privacy_consents_by_user ON privacy_consents (user_id, consented_at);

ALTER TABLE users ADD COLUMN deleted_at BIGINT;
