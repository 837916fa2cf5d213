-- Substring search of organisation and person names through an index made for it
-- (issue 12): `lower(name) LIKE '%q%'` read every row, twice per list (count and page).
-- FTS5's trigram tokenizer indexes every three-character piece of a name, case-folded,
-- so a MATCH of a quoted phrase of three or more characters finds exactly the names
-- that contain it. The FTS rows are numbered in a table of their own (an INTEGER
-- PRIMARY KEY, which VACUUM keeps; the registry's text ids cannot be FTS rowids), and
-- triggers keep both in step with every write, imports included.
CREATE TABLE organisation_search_rows (
    n INTEGER PRIMARY KEY,
    organisation_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE organisation_search USING fts5(name, short_name, tokenize = 'trigram');

INSERT INTO organisation_search_rows (organisation_id) SELECT id FROM organisations ORDER BY id;
INSERT INTO organisation_search (rowid, name, short_name)
    SELECT r.n, o.name, o.short_name
    FROM organisation_search_rows r JOIN organisations o ON o.id = r.organisation_id;

CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisations BEGIN
    INSERT INTO organisation_search_rows (organisation_id) VALUES (new.id);
    INSERT INTO organisation_search (rowid, name, short_name) VALUES (
        (SELECT n FROM organisation_search_rows WHERE organisation_id = new.id),
        new.name, new.short_name);
END;
CREATE TRIGGER organisation_search_update AFTER UPDATE OF name, short_name ON organisations BEGIN
    UPDATE organisation_search SET name = new.name, short_name = new.short_name
    WHERE rowid = (SELECT n FROM organisation_search_rows WHERE organisation_id = new.id);
END;
CREATE TRIGGER organisation_search_delete AFTER DELETE ON organisations BEGIN
    DELETE FROM organisation_search
    WHERE rowid = (SELECT n FROM organisation_search_rows WHERE organisation_id = old.id);
    DELETE FROM organisation_search_rows WHERE organisation_id = old.id;
END;

-- Persons by display name, the same way. Secure delete: an erased person's old name is
-- removed from the index itself, not only marked as replaced (GDPR Art. 17).
CREATE TABLE person_search_rows (
    n INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE person_search USING fts5(display_name, tokenize = 'trigram');
INSERT INTO person_search (person_search, rank) VALUES ('secure-delete', 1);

INSERT INTO person_search_rows (person_id) SELECT id FROM persons ORDER BY id;
INSERT INTO person_search (rowid, display_name)
    SELECT r.n, p.display_name FROM person_search_rows r JOIN persons p ON p.id = r.person_id;

CREATE TRIGGER person_search_insert AFTER INSERT ON persons BEGIN
    INSERT INTO person_search_rows (person_id) VALUES (new.id);
    INSERT INTO person_search (rowid, display_name) VALUES (
        (SELECT n FROM person_search_rows WHERE person_id = new.id), new.display_name);
END;
CREATE TRIGGER person_search_update AFTER UPDATE OF display_name ON persons BEGIN
    UPDATE person_search SET display_name = new.display_name
    WHERE rowid = (SELECT n FROM person_search_rows WHERE person_id = new.id);
END;
CREATE TRIGGER person_search_delete AFTER DELETE ON persons BEGIN
    DELETE FROM person_search
    WHERE rowid = (SELECT n FROM person_search_rows WHERE person_id = old.id);
    DELETE FROM person_search_rows WHERE person_id = old.id;
END;
