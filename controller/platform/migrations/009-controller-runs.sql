-- Restarts (issue 10): one row per controller run, so that a restart knows when the previous run
-- stopped watching the fleet (a clean stop, or the last heartbeat of a killed process) and the
-- controller's own downtime is on record.

CREATE TABLE controller_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  -- refreshed every few seconds while the run is alive
  alive_at TEXT NOT NULL,
  -- set by a clean stop; NULL after a crash or a SIGKILL
  stopped_at TEXT
);
