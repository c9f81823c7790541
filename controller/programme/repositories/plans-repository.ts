import type { Db } from '../../platform/index.js'

/**
 * A plan body shared by the nodes of a group: the plan message's JSON without `nodeId` (and
 * without a signature), stored once under `hash` (see `planBodyOf`).
 */
export interface PlanBody {
  hash: string
  json: string
}

/** The plan a node should hold, as last generated. */
export interface StoredPlan {
  nodeId: string
  version: string
  /** The node's whole plan message (JSON), `nodeId` included, unsigned. */
  body: string
  /** The key of the shared body it was read from. */
  bodyHash: string
  generatedAt: string
}

/** A node's plan to store: its version and the shared body it names. */
export interface PlanToStore {
  nodeId: string
  version: string
  body: PlanBody
  generatedAt: string
  /** The recordings the body names, when the caller knows them (else read from the body). */
  audio?: readonly string[]
}

interface PlanRow {
  node_id: string
  version: string
  body_hash: string
  body_json: string
  generated_at: string
}

/** A node's plan message from its shared body: `nodeId` put back as the first key. */
function withNodeId(bodyJson: string, nodeId: string): string {
  const rest = bodyJson.slice(1).trimStart()
  return `{"nodeId":${JSON.stringify(nodeId)}${rest.startsWith('}') ? '' : ','}${rest}`
}

/** An active node with a current plan: the version it should hold and the one it applied. */
export interface PlanCurrencyRow {
  id: string
  name: string
  zoneId: string
  online: boolean
  appliedPlanVersion: string | null
  version: string
}

/** How long a recording stays downloadable by a node after a plan last named it. */
export const RECENT_PLAN_AUDIO_MS = 48 * 3_600_000

/** The recordings (sha256) a stored plan body names. */
function audioOf(body: string): string[] {
  try {
    const items = (JSON.parse(body) as { items?: { sha256?: unknown }[] }).items ?? []
    return items.flatMap((i) => (typeof i.sha256 === 'string' ? [i.sha256] : []))
  } catch {
    return []
  }
}

/** Current plan per node. */
export function createPlansRepository(db: Db) {
  const byNode = db.prepare<[string], PlanRow>(`SELECT p.node_id, p.version, p.body_hash,
    p.generated_at, b.body_json FROM node_plans p JOIN plan_bodies b ON b.hash = p.body_hash
    WHERE p.node_id = ?`)
  const headOf = db.prepare<[string], { version: string; generated_at: string; body_hash: string }>(
    'SELECT version, generated_at, body_hash FROM node_plans WHERE node_id = ?',
  )
  const bodyOf = db.prepare<[string], { body_json: string }>(
    'SELECT body_json FROM plan_bodies WHERE hash = ?',
  )
  const versions = db.prepare<[], { node_id: string; version: string }>(
    'SELECT node_id, version FROM node_plans',
  )
  const versionOf = db.prepare<[string], { version: string }>(
    'SELECT version FROM node_plans WHERE node_id = ?',
  )
  const currency = db.prepare<
    [],
    {
      id: string
      name: string
      zone_id: string
      online: number
      applied_plan_version: string | null
      version: string
    }
  >(`SELECT n.id, n.name, n.zone_id, n.online, n.applied_plan_version, p.version
    FROM nodes n JOIN node_plans p ON p.node_id = n.id WHERE n.retired_at IS NULL
    ORDER BY n.name, n.id`)
  const insertBody = db.prepare(`INSERT INTO plan_bodies (hash, body_json) VALUES (?, ?)
    ON CONFLICT (hash) DO NOTHING`)
  const upsert = db.prepare(`INSERT INTO node_plans (node_id, version, body_hash, generated_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET version = excluded.version,
    body_hash = excluded.body_hash, generated_at = excluded.generated_at`)
  // Bodies no node holds any more (a handful per change: one per group).
  const dropUnused = db.prepare(`DELETE FROM plan_bodies WHERE NOT EXISTS
    (SELECT 1 FROM node_plans p WHERE p.body_hash = plan_bodies.hash)`)
  const planned = db.prepare(`INSERT INTO node_plan_audio (node_id, sha256, planned_at)
    VALUES (?, ?, ?) ON CONFLICT (node_id, sha256) DO UPDATE SET planned_at = excluded.planned_at`)
  const forget = db.prepare('DELETE FROM node_plan_audio WHERE planned_at < ?')
  const plannedSince = db.prepare<[string, string, string], { one: number }>(
    'SELECT 1 AS one FROM node_plan_audio WHERE node_id = ? AND sha256 = ? AND planned_at >= ?',
  )
  const putMany = db.transaction((plans: PlanToStore[]) => {
    const bodies = new Map<string, readonly string[]>()
    for (const p of plans) {
      let audio = bodies.get(p.body.hash)
      if (!audio) {
        insertBody.run(p.body.hash, p.body.json)
        audio = p.audio ?? audioOf(p.body.json)
        bodies.set(p.body.hash, audio)
      }
      upsert.run(p.nodeId, p.version, p.body.hash, p.generatedAt)
      for (const sha256 of audio) planned.run(p.nodeId, sha256, p.generatedAt)
    }
    dropUnused.run()
    const newest = plans.reduce((t, p) => Math.max(t, Date.parse(p.generatedAt) || 0), 0)
    if (newest > 0) forget.run(new Date(newest - RECENT_PLAN_AUDIO_MS).toISOString())
  })
  return {
    get(nodeId: string): StoredPlan | null {
      const r = byNode.get(nodeId)
      return r
        ? {
            nodeId: r.node_id,
            version: r.version,
            body: withNodeId(r.body_json, r.node_id),
            bodyHash: r.body_hash,
            generatedAt: r.generated_at,
          }
        : null
    },
    /** The version, generation time and body key of a node's current plan, without its body. */
    head(nodeId: string): { version: string; generatedAt: string; bodyHash: string } | null {
      const r = headOf.get(nodeId)
      return r ? { version: r.version, generatedAt: r.generated_at, bodyHash: r.body_hash } : null
    },
    /** A shared plan body's JSON (without `nodeId`), by its key. */
    body: (hash: string): string | null => bodyOf.get(hash)?.body_json ?? null,
    /**
     * Whether a node's current plan, or one generated for it within {@link RECENT_PLAN_AUDIO_MS}
     * before `nowMs`, names this recording: what a node's own credentials may download.
     */
    planned(nodeId: string, sha256: string, nowMs: number): boolean {
      const current = byNode.get(nodeId)
      if (current && audioOf(current.body_json).includes(sha256)) return true
      const since = new Date(nowMs - RECENT_PLAN_AUDIO_MS).toISOString()
      return plannedSince.get(nodeId, sha256, since) !== undefined
    },
    /** node id → current plan version, for every node that has one. */
    versions: (): Map<string, string> => new Map(versions.all().map((r) => [r.node_id, r.version])),
    /**
     * Active nodes with a current plan, in name order, with the versions only (plan status: no
     * plan body, no full node record per node).
     */
    currency: (): PlanCurrencyRow[] =>
      currency.all().map((r) => ({
        id: r.id,
        name: r.name,
        zoneId: r.zone_id,
        online: r.online === 1,
        appliedPlanVersion: r.applied_plan_version,
        version: r.version,
      })),
    /** These nodes' current plan versions (a page of nodes: one keyed lookup each). */
    versionsOf(nodeIds: Iterable<string>): Map<string, string> {
      const out = new Map<string, string>()
      for (const id of nodeIds) {
        const r = versionOf.get(id)
        if (r) out.set(id, r.version)
      }
      return out
    },
    /**
     * Stores many plans in one transaction: each distinct body once, each node's row naming it;
     * bodies no node names any more are dropped.
     */
    putMany: (plans: PlanToStore[]): void => {
      putMany(plans)
    },
  }
}

/** The plans repository. */
export type PlansRepository = ReturnType<typeof createPlansRepository>
