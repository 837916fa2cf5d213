-- The duplicate rule's identity of a record, case-folded by the application (Unicode, as
-- PostgreSQL's lower() folds) and stored, so that no unique index calls a function: on
-- SQLite the application replaces the built-in ASCII-only lower(), and indexes built
-- with it looked corrupt to a stock sqlite3 (PRAGMA integrity_check). Parts are joined
-- by the unit separator (U+001F), which no text field may contain.
ALTER TABLE organisations ADD COLUMN identity_key TEXT NOT NULL DEFAULT '';
UPDATE organisations SET identity_key = lower(name) || chr(31) || kind || chr(31) || coalesce(lower(city), '');
DROP INDEX organisations_identity;
CREATE UNIQUE INDEX organisations_identity ON organisations (identity_key) WHERE deleted_at IS NULL;

ALTER TABLE persons ADD COLUMN identity_key TEXT NOT NULL DEFAULT '';
UPDATE persons SET identity_key = lower(display_name);
DROP INDEX persons_identity;
CREATE UNIQUE INDEX persons_identity ON persons (identity_key) WHERE deleted_at IS NULL;

ALTER TABLE sources ADD COLUMN identity_key TEXT NOT NULL DEFAULT '';
UPDATE sources SET identity_key = lower(title);
DROP INDEX sources_identity;
CREATE UNIQUE INDEX sources_identity ON sources (identity_key) WHERE deleted_at IS NULL;
