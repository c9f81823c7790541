-- Speakers (issue 11): when a node first came online, so proof of play holds a node accountable
-- only from its enrollment or first connection onwards (a speaker registered from the survey
-- sheet days before it is installed is not blamed for what it could not play); and an index for
-- finding a node by its hardware serial, which is unique among active nodes (checked on write).
ALTER TABLE nodes ADD COLUMN first_online_at TEXT;
UPDATE nodes SET first_online_at = (
  SELECT min(at) FROM presence_transitions p WHERE p.node_id = nodes.id AND p.to_state = 'online'
);
UPDATE nodes SET first_online_at = last_seen WHERE first_online_at IS NULL AND online = 1;
CREATE INDEX nodes_serial ON nodes (serial) WHERE serial IS NOT NULL;
