-- 0001 foundation: accounts, employers, single-use tokens, sign-in throttling, sessions,
-- the mail outbox and the audit log. Kept in step with ../postgres/0001_foundation.sql:
-- same tables, same columns, same meaning. Timestamps are Unix seconds (BIGINT) so that both
-- databases compare and sort them alike.

CREATE TABLE users (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    email             TEXT    NOT NULL UNIQUE,          -- trimmed, lower-case
    password_hash     TEXT    NOT NULL,                 -- argon2id PHC string
    role              TEXT    NOT NULL CHECK (role IN ('graduate', 'employer', 'case_worker', 'admin')),
    display_name      TEXT    NOT NULL,
    locale            TEXT    NOT NULL DEFAULT 'zh-CN',
    email_verified_at BIGINT,
    disabled_at       BIGINT,
    created_at        BIGINT  NOT NULL
);

-- An employer's organisation; a case worker verifies it before it may publish.
CREATE TABLE employers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         BIGINT  NOT NULL REFERENCES users (id),
    name            TEXT    NOT NULL,
    credit_code     TEXT    NOT NULL UNIQUE,            -- unified social credit code, checked
    verification    TEXT    NOT NULL DEFAULT 'pending' CHECK (verification IN ('pending', 'verified', 'rejected')),
    decided_by      BIGINT  REFERENCES users (id),
    decided_at      BIGINT,
    decision_reason TEXT,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX employers_by_verification ON employers (verification, created_at);
CREATE INDEX employers_by_user ON employers (user_id);

-- Email verification and password reset links. Only a SHA-256 of the token is stored.
CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    purpose    TEXT    NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    token_hash TEXT    NOT NULL UNIQUE,
    expires_at BIGINT  NOT NULL,
    used_at    BIGINT,
    created_at BIGINT  NOT NULL
);
CREATE INDEX tokens_by_user ON tokens (user_id, purpose, created_at);

-- Failed sign-ins per account (hashed address) and per client address.
CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT    NOT NULL,
    at  BIGINT  NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
CREATE INDEX login_failures_by_time ON login_failures (at);

-- tower-sessions records (JSON), with the signed-in user for "sign out everywhere".
CREATE TABLE sessions (
    id          TEXT   PRIMARY KEY,
    data        TEXT   NOT NULL,
    expiry_date BIGINT NOT NULL,
    user_id     BIGINT
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expiry_date);

-- Every email, written in the transaction of the change that causes it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    to_addr         TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claim_token     TEXT,
    claimed_until   BIGINT,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_claim ON outbox (claim_token);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT,
    action   TEXT   NOT NULL,
    target   TEXT   NOT NULL,
    address  TEXT   NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX audit_by_actor ON audit_log (actor_id, at);
