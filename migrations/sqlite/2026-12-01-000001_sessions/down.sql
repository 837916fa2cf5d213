ALTER TABLE users DROP COLUMN disabled_at;
DROP TABLE sessions;
