-- Server-side paging, filtering and sorting of GET /api/nodes and GET /api/plays (issue 9).
CREATE INDEX nodes_name ON nodes (name, id);
CREATE INDEX nodes_zone_name ON nodes (zone_id, name, id);
CREATE INDEX nodes_last_seen ON nodes (last_seen);
CREATE INDEX nodes_online_name ON nodes (online, name, id);
-- A date's plays in time order, paged without sorting the whole day.
CREATE INDEX events_date_at ON events (date, at, node_id);
