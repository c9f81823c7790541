-- Zones mirror the administration: district → town/street → community/village (PRODUCT.md).
CREATE TABLE zones (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  parent_id TEXT REFERENCES zones(id),
  code TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX zones_parent_name ON zones (ifnull(parent_id, ''), name);

CREATE TABLE nodes (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  zone_id TEXT NOT NULL REFERENCES zones(id),
  lat REAL,
  lon REAL,
  is_test INTEGER NOT NULL DEFAULT 0,
  -- SHA-256 of a 256-bit random secret; the secret itself is never stored (PRODUCT.md).
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT,
  online INTEGER NOT NULL DEFAULT 0,
  state_since TEXT,
  last_seen TEXT,
  boot_id TEXT,
  agent_version TEXT,
  reported_plan_version TEXT,
  applied_plan_version TEXT
);
CREATE INDEX nodes_zone ON nodes (zone_id);

CREATE TABLE presence_transitions (
  id INTEGER PRIMARY KEY,
  node_id TEXT NOT NULL REFERENCES nodes(id),
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  at TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX presence_transitions_node_at ON presence_transitions (node_id, at);

CREATE TABLE audio (
  id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  source_sha256 TEXT NOT NULL,
  title TEXT NOT NULL,
  original_name TEXT,
  duration_ms INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL,
  source_codec TEXT,
  loudness_before REAL,
  loudness_after REAL,
  silent INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX audio_source ON audio (source_sha256);

-- A date's own running order; `mode` says whether it replaces or adds to the day's template.
CREATE TABLE day_orders (
  date TEXT PRIMARY KEY,
  mode TEXT NOT NULL DEFAULT 'replace',
  items_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The plan each node should hold now; `version` is a content hash, so an unchanged plan is
-- recognised and not resent.
CREATE TABLE node_plans (
  node_id TEXT PRIMARY KEY REFERENCES nodes(id),
  version TEXT NOT NULL,
  body_json TEXT NOT NULL,
  generated_at TEXT NOT NULL
);

-- Agent events, stored once per (node, event id) so that a replay changes nothing.
CREATE TABLE events (
  node_id TEXT NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  date TEXT,
  item_id TEXT,
  reason TEXT,
  body_json TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (node_id, id)
) WITHOUT ROWID;
CREATE INDEX events_date ON events (date, node_id);
CREATE INDEX events_node_at ON events (node_id, at);
