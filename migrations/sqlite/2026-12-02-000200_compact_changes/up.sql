-- A compact change log (issue 12): every write stored whole records before and after,
-- so the log was two thirds of the database. Now an update, delete or restore keeps only
-- the fields whose values differ, each side with its own values (a role always keeps
-- its person_id: reads of its changes are logged as reads of that person), and a create
-- keeps the fields it set. The record's id and time stamps are never repeated: the
-- change names the record and the time, the record row keeps its own stamps. Existing
-- entries are rewritten the same way here; new ones are written so by the service.
-- (The freed pages are reused by new writes; VACUUM or `knotenpunkt backup` returns
-- them to the file system.)
UPDATE changes SET
    before_json = (
        SELECT json_group_object(k, json(coalesce(changes.before_json -> k, 'null')))
        FROM (SELECT key AS k FROM json_each(changes.before_json)
              UNION SELECT key FROM json_each(changes.after_json))
        WHERE k NOT IN ('id', 'created_at', 'updated_at')
          AND (coalesce(changes.before_json -> k, 'null')
                   IS NOT coalesce(changes.after_json -> k, 'null')
               OR (changes.record_kind = 'affiliation' AND k = 'person_id'))
    ),
    after_json = (
        SELECT json_group_object(k, json(coalesce(changes.after_json -> k, 'null')))
        FROM (SELECT key AS k FROM json_each(changes.before_json)
              UNION SELECT key FROM json_each(changes.after_json))
        WHERE k NOT IN ('id', 'created_at', 'updated_at')
          AND (coalesce(changes.before_json -> k, 'null')
                   IS NOT coalesce(changes.after_json -> k, 'null')
               OR (changes.record_kind = 'affiliation' AND k = 'person_id'))
    )
WHERE json_type(before_json) = 'object' AND json_type(after_json) = 'object';

UPDATE changes SET
    after_json = (
        SELECT json_group_object(key, json(changes.after_json -> key))
        FROM json_each(changes.after_json)
        WHERE key NOT IN ('id', 'created_at', 'updated_at')
          AND type <> 'null'
          AND NOT (type IN ('array', 'object') AND value IN ('[]', '{}'))
    )
WHERE action = 'create' AND before_json IS NULL AND json_type(after_json) = 'object';
