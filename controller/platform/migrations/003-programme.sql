-- Programme scheduling for the propaganda office (issue 3): columns, the working-day and rest-day
-- templates, calendar overrides, drill days, announcements with per-node delivery, per-date
-- programme snapshots for proof-of-play reports, plan history per node for per-date currency,
-- and each node's latest readiness report.

-- Columns (栏目): news, policy, safety, weather, culture…
CREATE TABLE columns (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  colour TEXT NOT NULL,
  default_priority INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

ALTER TABLE audio ADD COLUMN column_id TEXT REFERENCES columns(id) ON DELETE SET NULL;
ALTER TABLE audio ADD COLUMN uploaded_by TEXT;
ALTER TABLE audio ADD COLUMN updated_at TEXT;
CREATE INDEX audio_column ON audio (column_id);

-- The two running orders; seeded by the controller on first start (15 and 10 empty slots).
CREATE TABLE templates (
  day_type TEXT PRIMARY KEY CHECK (day_type IN ('working', 'rest')),
  items_json TEXT NOT NULL,
  target_count INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);

-- Office overrides of the official calendar; an override always wins.
CREATE TABLE day_types (
  date TEXT PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('working', 'rest')),
  note TEXT,
  updated_at TEXT NOT NULL
);

ALTER TABLE day_orders ADD COLUMN drill INTEGER NOT NULL DEFAULT 0;

-- Urgent announcements (插播).
CREATE TABLE announcements (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  -- no foreign key: a recording may be deleted once no current or future programme uses it,
  -- and past announcements keep naming it
  audio_id TEXT NOT NULL,
  zones_json TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('urgent', 'emergency')),
  priority INTEGER NOT NULL,
  at TEXT NOT NULL,
  -- local date of `at` in the district's time zone: the date its plan item is filed under
  date TEXT NOT NULL,
  latest_start_at TEXT NOT NULL,
  drill INTEGER NOT NULL DEFAULT 0,
  created_by TEXT,
  created_at TEXT NOT NULL,
  cancelled_at TEXT
);
CREATE INDEX announcements_date ON announcements (date);

-- Per targeted node: the plan version that first carried the announcement, and when the node
-- acknowledged holding it (its plan.applied named that version).
CREATE TABLE announcement_deliveries (
  announcement_id TEXT NOT NULL REFERENCES announcements(id),
  node_id TEXT NOT NULL REFERENCES nodes(id),
  plan_version TEXT NOT NULL,
  sent_at TEXT,
  acked_at TEXT,
  PRIMARY KEY (announcement_id, node_id)
) WITHOUT ROWID;
CREATE INDEX announcement_deliveries_node ON announcement_deliveries (node_id, acked_at);

-- What the district was to play on a date (schedules' resolveDates), kept as last published:
-- reports read the scheduled items of past dates from here.
CREATE TABLE date_programmes (
  date TEXT PRIMARY KEY,
  day_type TEXT NOT NULL,
  items_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Per node, the per-date content hashes of each plan version it was given, so that a node still
-- holding an older version is known current for the dates that did not change.
CREATE TABLE plan_history (
  node_id TEXT NOT NULL REFERENCES nodes(id),
  version TEXT NOT NULL,
  day_digests_json TEXT NOT NULL,
  generated_at TEXT NOT NULL,
  PRIMARY KEY (node_id, version)
) WITHOUT ROWID;
CREATE INDEX plan_history_generated ON plan_history (generated_at);

-- The latest readiness report of each node.
CREATE TABLE node_readiness (
  node_id TEXT PRIMARY KEY REFERENCES nodes(id),
  plan_version TEXT NOT NULL,
  dates_json TEXT NOT NULL,
  at TEXT NOT NULL,
  received_at TEXT NOT NULL
);

-- Totals of finished days, so a summary over months does not recount every play; a late event
-- for a date deletes its row.
CREATE TABLE report_days (
  date TEXT PRIMARY KEY,
  totals_json TEXT NOT NULL,
  computed_at TEXT NOT NULL
);
