DROP INDEX persons_name;
DROP INDEX organisations_kind;
DROP INDEX organisations_name;
DROP INDEX changes_kind;
DROP INDEX changes_record;
CREATE INDEX changes_record ON changes (record_kind, record_id);
DROP INDEX affiliations_person;
DROP INDEX relations_source;
DROP INDEX fundings_funder;
