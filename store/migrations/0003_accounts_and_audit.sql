-- 0003: local accounts, their login sessions, and an audit log that says before → after.
-- Accounts are never deleted (the audit log names them): an administrator disables one instead.
CREATE TABLE users (
    name            VARCHAR PRIMARY KEY,  -- the login name, also what the audit log and sources show
    role            VARCHAR NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    unit            VARCHAR,              -- region code an analyst may report for; NULL: every unit
    password_hash   VARCHAR NOT NULL,     -- argon2id (argon2-cffi), never the password
    is_active       BOOLEAN NOT NULL DEFAULT TRUE,
    failed_attempts INTEGER NOT NULL DEFAULT 0,  -- consecutive failed logins since the last success
    locked_until    TIMESTAMP,            -- no login before this time (too many failed attempts)
    created_at      TIMESTAMP NOT NULL,
    password_set_at TIMESTAMP NOT NULL
);

-- A browser's login: the cookie holds a random token, the database only its sha256.
CREATE TABLE sessions (
    token_sha256 VARCHAR PRIMARY KEY,
    user_name    VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,      -- idle sessions end 8 hours after this (data/access.toml)
    ended_at     TIMESTAMP                -- logout, expiry, or the account disabled
);

-- Who did what to which thing, and the state before and after it (JSON text), for every write and login.
ALTER TABLE audit_log ADD COLUMN target VARCHAR;
ALTER TABLE audit_log ADD COLUMN before_json VARCHAR;
ALTER TABLE audit_log ADD COLUMN after_json VARCHAR;
