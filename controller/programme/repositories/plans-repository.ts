import type { Db } from '../../platform/index.js'

/** The plan a node should hold, as last generated. */
export interface StoredPlan {
  nodeId: string
  version: string
  body: string
  generatedAt: string
  /** The recordings the body names, when the caller knows them (else read from the body). */
  audio?: readonly string[]
}

interface PlanRow {
  node_id: string
  version: string
  body_json: string
  generated_at: string
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
  const byNode = db.prepare<[string], PlanRow>('SELECT * FROM node_plans WHERE node_id = ?')
  const headOf = db.prepare<[string], { version: string; generated_at: string }>(
    'SELECT version, generated_at FROM node_plans WHERE node_id = ?',
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
  const upsert = db.prepare(`INSERT INTO node_plans (node_id, version, body_json, generated_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET version = excluded.version,
    body_json = excluded.body_json, generated_at = excluded.generated_at`)
  const planned = db.prepare(`INSERT INTO node_plan_audio (node_id, sha256, planned_at)
    VALUES (?, ?, ?) ON CONFLICT (node_id, sha256) DO UPDATE SET planned_at = excluded.planned_at`)
  const forget = db.prepare('DELETE FROM node_plan_audio WHERE planned_at < ?')
  const plannedSince = db.prepare<[string, string, string], { one: number }>(
    'SELECT 1 AS one FROM node_plan_audio WHERE node_id = ? AND sha256 = ? AND planned_at >= ?',
  )
  const putMany = db.transaction((plans: StoredPlan[]) => {
    for (const p of plans) {
      upsert.run(p.nodeId, p.version, p.body, p.generatedAt)
      for (const sha256 of p.audio ?? audioOf(p.body)) planned.run(p.nodeId, sha256, p.generatedAt)
    }
    const newest = plans.reduce((t, p) => Math.max(t, Date.parse(p.generatedAt) || 0), 0)
    if (newest > 0) forget.run(new Date(newest - RECENT_PLAN_AUDIO_MS).toISOString())
  })
  return {
    get(nodeId: string): StoredPlan | null {
      const r = byNode.get(nodeId)
      return r
        ? { nodeId: r.node_id, version: r.version, body: r.body_json, generatedAt: r.generated_at }
        : null
    },
    /** The version and generation time of a node's current plan, without reading its body. */
    head(nodeId: string): { version: string; generatedAt: string } | null {
      const r = headOf.get(nodeId)
      return r ? { version: r.version, generatedAt: r.generated_at } : null
    },
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
    /** Stores many plans in one transaction. */
    putMany: (plans: StoredPlan[]): void => {
      putMany(plans)
    },
  }
}

/** The plans repository. */
export type PlansRepository = ReturnType<typeof createPlansRepository>
