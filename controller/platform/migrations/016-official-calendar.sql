-- Official holiday arrangements the office imported (issue 11): the State Council's notice pasted
-- in, or an .ics file. A year listed here replaces chinese-days' data for that year; the office's
-- own overrides (day_types) still win over both.
CREATE TABLE official_years (
  year INTEGER PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('notice', 'ics')),
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
);

CREATE TABLE official_days (
  date TEXT PRIMARY KEY,
  year INTEGER NOT NULL REFERENCES official_years(year) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('working', 'rest')),
  name TEXT NOT NULL,
  name_zh TEXT NOT NULL
);
CREATE INDEX official_days_year ON official_days (year);
