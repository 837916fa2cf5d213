DROP INDEX sources_identity;
ALTER TABLE sources DROP COLUMN identity_key;
CREATE UNIQUE INDEX sources_identity ON sources (lower(title)) WHERE deleted_at IS NULL;

DROP INDEX persons_identity;
ALTER TABLE persons DROP COLUMN identity_key;
CREATE UNIQUE INDEX persons_identity ON persons (lower(display_name)) WHERE deleted_at IS NULL;

DROP INDEX organisations_identity;
ALTER TABLE organisations DROP COLUMN identity_key;
CREATE UNIQUE INDEX organisations_identity ON organisations (lower(name), kind, coalesce(lower(city), '')) WHERE deleted_at IS NULL;
