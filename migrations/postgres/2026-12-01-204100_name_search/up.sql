-- Substring search of names through an index made for it (issue 12): `lower(name) LIKE
-- '%q%'` read every organisation, twice per list (count and page). pg_trgm's GIN
-- indexes answer LIKE '%q%' for patterns with three or more characters; the queries
-- stay as they are. (pg_trgm is a trusted extension: the database's owner may create it.)
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX organisations_name_trgm ON organisations USING gin (lower(name) gin_trgm_ops);
CREATE INDEX organisations_short_name_trgm ON organisations USING gin (lower(short_name) gin_trgm_ops);
CREATE INDEX persons_name_trgm ON persons USING gin (lower(display_name) gin_trgm_ops);
