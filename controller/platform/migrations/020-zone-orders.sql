-- Zone-level running orders (issue 11, 分级管理): a date's order may exist for the district
-- (zone_id '') and for any zone; a node plays the order of its nearest zone that has one for the
-- date, else the district's, else its template. Existing orders and versions stay the district's.
CREATE TABLE day_orders_new (
  zone_id TEXT NOT NULL DEFAULT '',
  date TEXT NOT NULL,
  mode TEXT NOT NULL DEFAULT 'replace',
  items_json TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  drill INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (zone_id, date)
);
INSERT INTO day_orders_new (zone_id, date, mode, items_json, updated_at, drill)
  SELECT '', date, mode, items_json, updated_at, drill FROM day_orders;
DROP TABLE day_orders;
ALTER TABLE day_orders_new RENAME TO day_orders;
CREATE INDEX day_orders_date ON day_orders (date);

CREATE TABLE day_order_versions_new (
  zone_id TEXT NOT NULL DEFAULT '',
  date TEXT NOT NULL,
  version INTEGER NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('replace', 'add')),
  items_json TEXT NOT NULL,
  drill INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  saved_at TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  PRIMARY KEY (zone_id, date, version)
);
INSERT INTO day_order_versions_new (zone_id, date, version, mode, items_json, drill, deleted,
  saved_at, saved_by)
  SELECT '', date, version, mode, items_json, drill, deleted, saved_at, saved_by
  FROM day_order_versions;
DROP TABLE day_order_versions;
ALTER TABLE day_order_versions_new RENAME TO day_order_versions;
