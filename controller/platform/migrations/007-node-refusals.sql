-- Agent faults (issue 10): node health shows the plans and commands a node refused
-- (`plan.rejected`, `cmd.rejected` events) and restores them at start from the events table;
-- this index finds them (and `plan.applied`, which clears a plan refusal) without a full scan.

CREATE INDEX events_type_at ON events (type, at);
