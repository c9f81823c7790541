-- Every saved version of a date's running order (issue 11): who saved it and when, so the office
-- can see the history of a day and restore any version (an undone deletion restores the one
-- before). `deleted` marks the removal of the date's own order (the template plays again).
CREATE TABLE day_order_versions (
  date TEXT NOT NULL,
  version INTEGER NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('replace', 'add')),
  items_json TEXT NOT NULL,
  drill INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  saved_at TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  PRIMARY KEY (date, version)
);
