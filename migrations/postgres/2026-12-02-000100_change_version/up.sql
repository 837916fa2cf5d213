-- The data version each change made (issue 12): an instance follows other instances'
-- writes by reading the changes since its snapshot's version and applying them to its
-- graph, instead of reloading everything. Changes from before this column stay NULL.
ALTER TABLE changes ADD COLUMN version BIGINT;
CREATE INDEX changes_version ON changes (version);
