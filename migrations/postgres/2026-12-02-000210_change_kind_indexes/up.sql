-- Entries newest first by kind are read for two kinds only: organisations (the start
-- page's latest changes) and imports (the upload page). An index of those two kinds'
-- entries replaces the one over every entry's (record_kind, id), a fifth of the log's
-- index space. The queries name the kind as a literal, so both backends can use them.
DROP INDEX changes_kind;
CREATE INDEX changes_organisations ON changes (record_kind, id)
    WHERE record_kind = 'organisation';
CREATE INDEX changes_imports ON changes (record_kind, id) WHERE record_kind = 'import';
