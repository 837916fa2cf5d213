DROP INDEX persons_name_trgm;
DROP INDEX organisations_short_name_trgm;
DROP INDEX organisations_name_trgm;
-- The extension stays: other objects may use it by now.
