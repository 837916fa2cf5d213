-- The compacted snapshots cannot be widened again (the dropped fields are gone, and the
-- ones a write left unchanged are in the record and its earlier changes); they stay
-- valid before/after objects, so there is nothing to undo.
SELECT 1;
