-- One stored plan body per group and version (issue 9): every node of a group (same zones, same
-- test flag) gets the same plan but for its `nodeId`, so the body is stored once, keyed by the
-- SHA-256 of its JSON without `nodeId`, and each node row names it. A change writes one body per
-- group, not one per node. Plans stored before keep their own body each (key `node:<id>`), with
-- `nodeId` taken out; they are replaced by shared bodies at the node's next plan change.
CREATE TABLE plan_bodies (
  hash TEXT PRIMARY KEY,
  body_json TEXT NOT NULL
);
INSERT INTO plan_bodies (hash, body_json)
  SELECT 'node:' || node_id, json_remove(body_json, '$.nodeId') FROM node_plans;
CREATE TABLE node_plans_new (
  node_id TEXT PRIMARY KEY REFERENCES nodes(id),
  version TEXT NOT NULL,
  body_hash TEXT NOT NULL REFERENCES plan_bodies(hash),
  generated_at TEXT NOT NULL
);
INSERT INTO node_plans_new (node_id, version, body_hash, generated_at)
  SELECT node_id, version, 'node:' || node_id, generated_at FROM node_plans;
DROP TABLE node_plans;
ALTER TABLE node_plans_new RENAME TO node_plans;
CREATE INDEX node_plans_body ON node_plans (body_hash);
