-- Admin: every change to a policy parameter is kept (policy_parameters holds only the value in
-- force for each date, overwritten by a correction), and the audit log is searched by period
-- and by action.

-- One row per admin edit: which value of which date, what it was before (NULL when the date
-- had no value yet) and what it became, by whom and when. Seeds are not edits and are not here.
CREATE TABLE policy_parameter_changes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    key            TEXT    NOT NULL,
    effective_from TEXT    NOT NULL,
    old_value      DOUBLE PRECISION,
    new_value      DOUBLE PRECISION NOT NULL,
    old_source     TEXT,
    new_source     TEXT    NOT NULL,
    changed_by     BIGINT  NOT NULL REFERENCES users (id),
    changed_at     BIGINT  NOT NULL
);
CREATE INDEX policy_changes_by_key ON policy_parameter_changes (key, changed_at);

CREATE INDEX audit_by_time ON audit_log (at);
CREATE INDEX audit_by_action ON audit_log (action, at);
