-- Indexes the pages need so that none of their queries reads a whole table (issue 12).
-- An organisation's links from either end, deleted ones included: the identity indexes
-- that start with funder_id, source_id and person_id are partial (live rows only), so a
-- query with `funder_id = ? OR recipient_id = ?` could use neither side and scanned.
CREATE INDEX fundings_funder ON fundings (funder_id);
CREATE INDEX relations_source ON relations (source_id);
CREATE INDEX affiliations_person ON affiliations (person_id);

-- The change log, newest first: one record's history, and the latest changes of one kind
-- (the start page), each read through the index up to its limit instead of sorted whole.
-- (record_id, id) answers what (record_kind, record_id) did: an id names one record.
DROP INDEX changes_record;
CREATE INDEX changes_record ON changes (record_id, id);
CREATE INDEX changes_kind ON changes (record_kind, id);

-- Live organisations and persons in list order, and organisations of one kind in name
-- order (the kind filter and the umbrella choices).
CREATE INDEX organisations_name ON organisations (name, id) WHERE deleted_at IS NULL;
CREATE INDEX organisations_kind ON organisations (kind, name, id) WHERE deleted_at IS NULL;
CREATE INDEX persons_name ON persons (display_name, id) WHERE deleted_at IS NULL;
