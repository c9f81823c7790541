-- Fleet monitoring (issue: technicians). Telemetry samples, commands, incidents, alerts, webhook
-- deliveries, and editable alert rules.

CREATE TABLE telemetry (
  node_id TEXT NOT NULL REFERENCES nodes(id),
  at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  volume INTEGER,
  cache_bytes INTEGER,
  free_disk_bytes INTEGER,
  clock_offset_ms REAL,
  mem_rss_bytes INTEGER,
  outbox_depth INTEGER,
  playing INTEGER,
  audio_output TEXT,
  last_error TEXT,
  agent_version TEXT,
  uptime_sec REAL
);
CREATE INDEX telemetry_node_at ON telemetry (node_id, received_at);
CREATE INDEX telemetry_received ON telemetry (received_at);

CREATE TABLE commands (
  id TEXT PRIMARY KEY,
  batch_id TEXT,
  node_id TEXT NOT NULL REFERENCES nodes(id),
  kind TEXT NOT NULL,
  params_json TEXT,
  issued_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  acked_at TEXT,
  error TEXT,
  result_json TEXT
);
CREATE INDEX commands_node ON commands (node_id, issued_at);
CREATE INDEX commands_batch ON commands (batch_id);
CREATE INDEX commands_pending ON commands (status, expires_at);

CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  cause TEXT NOT NULL,
  zone_id TEXT,
  node_ids_json TEXT NOT NULL,
  node_count INTEGER NOT NULL
);

CREATE TABLE alert_rules (
  kind TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL DEFAULT 1,
  params_json TEXT NOT NULL
);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  -- what the alert is about, e.g. "nodeOffline:node-1"; at most one open alert per key
  subject TEXT NOT NULL,
  severity TEXT NOT NULL,
  node_id TEXT,
  zone_id TEXT,
  incident_id TEXT,
  message TEXT NOT NULL,
  params_json TEXT,
  opened_at TEXT NOT NULL,
  acked_at TEXT,
  resolved_at TEXT,
  resolution TEXT
);
CREATE UNIQUE INDEX alerts_open_subject ON alerts (subject) WHERE resolved_at IS NULL;
CREATE INDEX alerts_opened ON alerts (opened_at);

CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  alert_id TEXT NOT NULL,
  event TEXT NOT NULL,
  url TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  status_code INTEGER,
  error TEXT,
  delivered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_alert ON webhook_deliveries (alert_id);
