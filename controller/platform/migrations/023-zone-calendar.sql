-- Zone-level calendar overrides (issue 11, 分级管理): a date's day-type override may exist for
-- the district (zone_id '', as day_orders since 020) and for any zone; a node's day type is its
-- nearest zone's override, else the district's, else the official calendar, else Mon–Fri.
-- Existing overrides stay the district's.
CREATE TABLE day_types_new (
  zone_id TEXT NOT NULL DEFAULT '',
  date TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('working', 'rest')),
  note TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (zone_id, date)
);
INSERT INTO day_types_new (zone_id, date, type, note, updated_at)
  SELECT '', date, type, note, updated_at FROM day_types;
DROP TABLE day_types;
ALTER TABLE day_types_new RENAME TO day_types;
CREATE INDEX day_types_date ON day_types (date);
