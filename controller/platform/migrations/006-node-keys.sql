-- Signed events (issue 10): each node signs its events with an Ed25519 key of its own. The public
-- key is registered at enrollment, or pinned from the node's first birth (hand-configured nodes),
-- and removed when the node is replaced, so that the new hardware's key can take its place.

CREATE TABLE node_keys (
  node_id TEXT PRIMARY KEY REFERENCES nodes(id),
  key_id TEXT NOT NULL,
  public_key_pem TEXT NOT NULL,
  -- 'enrollment' | 'first-use'
  source TEXT NOT NULL,
  registered_at TEXT NOT NULL
) WITHOUT ROWID;
