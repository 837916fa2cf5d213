DROP INDEX changes_imports;
DROP INDEX changes_organisations;
CREATE INDEX changes_kind ON changes (record_kind, id);
