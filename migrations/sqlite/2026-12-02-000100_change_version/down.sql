DROP INDEX changes_version;
ALTER TABLE changes DROP COLUMN version;
