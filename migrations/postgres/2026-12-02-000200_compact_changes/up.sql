-- A compact change log (issue 12): every write stored whole records before and after,
-- so the log was two thirds of the database. Now an update, delete or restore keeps only
-- the fields whose values differ, each side with its own values (a role always keeps
-- its person_id: reads of its changes are logged as reads of that person), and a create
-- keeps the fields it set. The record's id and time stamps are never repeated: the
-- change names the record and the time, the record row keeps its own stamps. Existing
-- entries are rewritten the same way here; new ones are written so by the service.
UPDATE changes SET
    before_json = (
        SELECT coalesce(jsonb_object_agg(k, coalesce(changes.before_json::jsonb -> k, 'null')), '{}')::text
        FROM (SELECT jsonb_object_keys(changes.before_json::jsonb) AS k
              UNION SELECT jsonb_object_keys(changes.after_json::jsonb)) keys
        WHERE k NOT IN ('id', 'created_at', 'updated_at')
          AND (coalesce(changes.before_json::jsonb -> k, 'null')
                   IS DISTINCT FROM coalesce(changes.after_json::jsonb -> k, 'null')
               OR (changes.record_kind = 'affiliation' AND k = 'person_id'))
    ),
    after_json = (
        SELECT coalesce(jsonb_object_agg(k, coalesce(changes.after_json::jsonb -> k, 'null')), '{}')::text
        FROM (SELECT jsonb_object_keys(changes.before_json::jsonb) AS k
              UNION SELECT jsonb_object_keys(changes.after_json::jsonb)) keys
        WHERE k NOT IN ('id', 'created_at', 'updated_at')
          AND (coalesce(changes.before_json::jsonb -> k, 'null')
                   IS DISTINCT FROM coalesce(changes.after_json::jsonb -> k, 'null')
               OR (changes.record_kind = 'affiliation' AND k = 'person_id'))
    )
WHERE left(before_json, 1) = '{' AND left(after_json, 1) = '{';

UPDATE changes SET
    after_json = (
        SELECT coalesce(jsonb_object_agg(key, value), '{}')::text
        FROM jsonb_each(changes.after_json::jsonb)
        WHERE key NOT IN ('id', 'created_at', 'updated_at')
          AND value NOT IN ('null'::jsonb, '[]'::jsonb, '{}'::jsonb)
    )
WHERE action = 'create' AND before_json IS NULL AND left(after_json, 1) = '{';
