-- Persons erased under GDPR Art. 17. The person's row stays as an anonymous placeholder
-- (its roles keep the organisations' facts), but nothing of it can be changed or
-- restored any more; this table is what says so.
CREATE TABLE erased_persons (
    person_id TEXT PRIMARY KEY NOT NULL REFERENCES persons(id),
    erased_at TEXT NOT NULL
);
