import type { Db } from '../database.js'

/** The plan a node should hold, as last generated. */
export interface StoredPlan {
  nodeId: string
  version: string
  body: string
  generatedAt: string
}

interface PlanRow {
  node_id: string
  version: string
  body_json: string
  generated_at: string
}

/** Current plan per node. */
export function createPlansRepository(db: Db) {
  const byNode = db.prepare<[string], PlanRow>('SELECT * FROM node_plans WHERE node_id = ?')
  const versions = db.prepare<[], { node_id: string; version: string }>(
    'SELECT node_id, version FROM node_plans',
  )
  const upsert = db.prepare(`INSERT INTO node_plans (node_id, version, body_json, generated_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET version = excluded.version,
    body_json = excluded.body_json, generated_at = excluded.generated_at`)
  const putMany = db.transaction((plans: StoredPlan[]) => {
    for (const p of plans) upsert.run(p.nodeId, p.version, p.body, p.generatedAt)
  })
  return {
    get(nodeId: string): StoredPlan | null {
      const r = byNode.get(nodeId)
      return r
        ? { nodeId: r.node_id, version: r.version, body: r.body_json, generatedAt: r.generated_at }
        : null
    },
    /** node id → current plan version, for every node that has one. */
    versions: (): Map<string, string> => new Map(versions.all().map((r) => [r.node_id, r.version])),
    /** Stores many plans in one transaction. */
    putMany: (plans: StoredPlan[]): void => {
      putMany(plans)
    },
  }
}

/** The plans repository. */
export type PlansRepository = ReturnType<typeof createPlansRepository>
