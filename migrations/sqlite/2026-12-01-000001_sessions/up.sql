-- Web sign-in sessions, kept on the server so that they can end: on sign-out, when the
-- user's password or role changes or an administrator disables the user, after idle
-- time and at a fixed lifetime. The cookie holds a random token; only its SHA-256 hash
-- is stored. Not part of the change log: signing in changes no registry data.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at TEXT,
    ended_why TEXT
);
CREATE INDEX sessions_user ON sessions (user_id, ended_at);

-- A disabled user can neither sign in nor use an API token; the account stays for the
-- change log that names it.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
