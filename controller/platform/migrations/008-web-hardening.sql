-- Addresses each user logged in from successfully (user_key: the login throttle's truncated
-- SHA-256 of the lower-case username). Such an address is never locked out for that user.
CREATE TABLE login_trust (
  user_key TEXT NOT NULL,
  ip TEXT NOT NULL,
  last_success_at TEXT NOT NULL,
  PRIMARY KEY (user_key, ip)
) WITHOUT ROWID;

-- Throttle keys used to hold usernames in clear (a password typed into the username field was
-- kept); the new keys hold a hash. Old counters are dropped.
DELETE FROM login_throttle WHERE key LIKE 'user:%';

-- Failed logins for usernames that do not exist used to name them in clear in the audit log.
UPDATE audit_log SET target = '[redacted]'
  WHERE action IN ('auth.login.failed', 'auth.lockout')
    AND target IS NOT NULL
    AND target NOT LIKE 'ip:%'
    AND lower(target) NOT IN (SELECT lower(username) FROM users);

-- Which recordings each node's plans named, and when: a node's credentials download only the
-- audio of its current and recent plans.
CREATE TABLE node_plan_audio (
  node_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  planned_at TEXT NOT NULL,
  PRIMARY KEY (node_id, sha256)
) WITHOUT ROWID;
