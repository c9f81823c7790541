-- Live sessions (issue 13): every live voice (喊话) or relay (转播) session, who opened it, when,
-- to which zones, how it ended and where its recording (the Ogg Opus stream as sent) lies.
CREATE TABLE live_sessions (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('voice', 'relay')),
  zones_json TEXT NOT NULL,
  created_by TEXT NOT NULL,
  source TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  play_at TEXT NOT NULL,
  ended_at TEXT,
  end_reason TEXT,
  duration_ms INTEGER,
  node_count INTEGER NOT NULL,
  sounding_json TEXT NOT NULL DEFAULT '[]',
  recording_path TEXT NOT NULL,
  recording_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX live_sessions_opened ON live_sessions (opened_at);
