-- Fewer B-trees per stored event (issue 9, ingest): every events query was checked with EXPLAIN
-- QUERY PLAN (controller/ingest/repositories/events-indexes.test.ts). events_date (date, node_id)
-- was used by none; events_date_at (date, at, node_id) only where events_date_type serves as well
-- (a date's plays are read whole, and the paged list already sorted through events_date_type).
-- Kept: the primary key (node_id, id) that makes a replayed event change nothing,
-- events_date_type (a date's plays and starts, the paged list and its count), events_node_at (a
-- node's latest plays), events_type_at (refusal history at start, recent starts).
DROP INDEX IF EXISTS events_date;
DROP INDEX IF EXISTS events_date_at;
