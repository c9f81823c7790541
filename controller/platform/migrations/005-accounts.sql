-- People and access (issue 5): user accounts with roles and zone scopes, browser sessions, API
-- tokens for scripts, login throttling, and the audit log. Passwords are stored only as scrypt
-- hashes; session ids and API tokens (256 random bits each) only as their SHA-256.

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  -- scrypt$N$r$p$salt$hash (base64url), see controller/services/passwords.ts
  password_hash TEXT NOT NULL,
  -- JSON arrays: role names, and the zone ids the user is limited to ([] = the whole district)
  roles TEXT NOT NULL DEFAULT '[]',
  zones TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL,
  last_login_at TEXT,
  disabled_at TEXT
);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ip TEXT,
  user_agent TEXT
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  roles TEXT NOT NULL DEFAULT '[]',
  zones TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed logins per key ('user:<name>' or 'ip:<address>'), so that a lockout survives a restart.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at TEXT NOT NULL,
  locked_until TEXT
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  -- username, 'node:<id>', 'system' or 'anonymous'
  actor TEXT NOT NULL,
  -- 'session', 'token', 'node', 'system' or 'anonymous'
  actor_kind TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  ip TEXT,
  -- JSON, or NULL
  before TEXT,
  after TEXT,
  details TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
