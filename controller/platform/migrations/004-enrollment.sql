-- Field provisioning (issue 5): hardware serial and notes on the node, when it last enrolled or
-- was replaced, and one-time enrollment tokens. A token is stored only as its SHA-256 (it is 256
-- random bits, like a node secret), is used at most once and expires.

ALTER TABLE nodes ADD COLUMN serial TEXT;
ALTER TABLE nodes ADD COLUMN notes TEXT;
ALTER TABLE nodes ADD COLUMN enrolled_at TEXT;
ALTER TABLE nodes ADD COLUMN replaced_at TEXT;

CREATE TABLE enrollment_tokens (
  token_hash TEXT PRIMARY KEY,
  node_id TEXT NOT NULL REFERENCES nodes(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  -- set when a newer token was issued for the node, or the node was replaced or retired
  revoked_at TEXT
) WITHOUT ROWID;
CREATE INDEX enrollment_tokens_node ON enrollment_tokens (node_id);
