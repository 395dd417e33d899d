-- Integration API tokens: the provincial system and employers' tools call /api/v1 with a bearer
-- token made in the portal by a person, and act with that person's rights. Only the SHA-256 of
-- a token is kept (the token is 32 random bytes, so a plain hash is as good as a slow one); the
-- prefix is the token's first characters, for the owner to tell tokens apart.

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_by   BIGINT  NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_by_owner ON api_tokens (created_by, created_at);

-- What a token may do: one row per scope.
CREATE TABLE api_token_scopes (
    token_id BIGINT NOT NULL REFERENCES api_tokens (id),
    scope    TEXT   NOT NULL CHECK (scope IN ('vacancies:write', 'registrations:read', 'decisions:read')),
    PRIMARY KEY (token_id, scope)
);
