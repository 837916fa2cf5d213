-- Who was shown which person, when, and by which request: naming a person as a board
-- member of a Roma self-organisation already reveals special-category data (GDPR Art. 9),
-- so every read of person data by a signed-in user is logged. Not part of the change
-- log: reading is not a change, and it must not make graph snapshots stale.
CREATE TABLE person_reads (
    id TEXT PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    via TEXT NOT NULL
);
CREATE INDEX person_reads_person ON person_reads (person_id, at);
CREATE INDEX person_reads_user ON person_reads (user_id, at);
