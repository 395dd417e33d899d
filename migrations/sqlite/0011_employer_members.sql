-- 0011 employer teams: the account that signed the organisation up (`employers.user_id`) owns
-- it and invites colleagues by email; every member acts for the employer, only the owner
-- manages members. Kept in step with ../postgres/0011_employer_members.sql.

-- Members besides the owner. An account belongs to one organisation at most, and removing
-- the row ends its access at once (every request looks it up).
CREATE TABLE employer_members (
    user_id     BIGINT  PRIMARY KEY REFERENCES users (id),
    employer_id BIGINT  NOT NULL REFERENCES employers (id),
    invited_by  BIGINT  NOT NULL REFERENCES users (id),
    created_at  BIGINT  NOT NULL
);
CREATE INDEX employer_members_by_employer ON employer_members (employer_id, created_at);

-- Single-use invitations; only the token's hash is kept, as for every other link.
CREATE TABLE employer_invites (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id BIGINT  NOT NULL REFERENCES employers (id),
    email       TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL UNIQUE,
    invited_by  BIGINT  NOT NULL REFERENCES users (id),
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT,
    revoked_at  BIGINT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX employer_invites_by_employer ON employer_invites (employer_id, created_at);
