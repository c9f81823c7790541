import type { Db } from '../../platform/index.js'

/** What the district was to play on one date, as last published. */
export interface DateProgramme<Item = unknown> {
  date: string
  dayType: 'working' | 'rest'
  /** Zones with their own calendar override that date → their day type (their subtree's). */
  zoneDayTypes: Record<string, 'working' | 'rest'>
  items: Item[]
  updatedAt: string
}

/** Per-date digests of one plan version of one node. */
export interface PlanDigests {
  nodeId: string
  version: string
  dayDigests: Record<string, string>
  generatedAt: string
}

/** A node's latest readiness report. */
export interface ReadinessRecord {
  nodeId: string
  planVersion: string
  dates: { date: string; ready: boolean; missing: string[] }[]
  at: string
  receivedAt: string
}

interface ProgrammeRow {
  date: string
  day_type: 'working' | 'rest'
  zone_day_types_json: string
  items_json: string
  updated_at: string
}

/** Programme snapshots per date, plan digests per node and version, readiness per node. */
export function createProgrammeRepository(db: Db) {
  const upsertDate = db.prepare(`INSERT INTO date_programmes (date, day_type,
    zone_day_types_json, items_json, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (date)
    DO UPDATE SET day_type = excluded.day_type, zone_day_types_json = excluded.zone_day_types_json,
    items_json = excluded.items_json, updated_at = excluded.updated_at`)
  const putDates = db.transaction((rows: DateProgramme[]) => {
    for (const r of rows) {
      const zones = JSON.stringify(r.zoneDayTypes)
      upsertDate.run(r.date, r.dayType, zones, JSON.stringify(r.items), r.updatedAt)
    }
  })
  const dateRange = db.prepare<[string, string], ProgrammeRow>(
    'SELECT * FROM date_programmes WHERE date >= ? AND date <= ? ORDER BY date',
  )
  const insertDigest = db.prepare(`INSERT OR IGNORE INTO plan_history (node_id, version,
    day_digests_json, generated_at) VALUES (?, ?, ?, ?)`)
  const putDigests = db.transaction((rows: PlanDigests[]) => {
    // The nodes of a group share one digests object: serialised once.
    const json = new Map<Record<string, string>, string>()
    for (const r of rows) {
      let text = json.get(r.dayDigests)
      if (text === undefined) {
        text = JSON.stringify(r.dayDigests)
        json.set(r.dayDigests, text)
      }
      insertDigest.run(r.nodeId, r.version, text, r.generatedAt)
    }
  })
  const digests = db.prepare<[], { node_id: string; version: string; day_digests_json: string }>(
    'SELECT node_id, version, day_digests_json FROM plan_history',
  )
  const digestOf = db.prepare<[string, string], { day_digests_json: string }>(
    'SELECT day_digests_json FROM plan_history WHERE node_id = ? AND version = ?',
  )
  const prune = db.prepare(`DELETE FROM plan_history WHERE generated_at < ? AND NOT EXISTS
    (SELECT 1 FROM node_plans p WHERE p.node_id = plan_history.node_id
      AND p.version = plan_history.version)`)
  const upsertReadiness = db.prepare(`INSERT INTO node_readiness (node_id, plan_version,
    dates_json, at, received_at) VALUES (@nodeId, @planVersion, @datesJson, @at, @receivedAt)
    ON CONFLICT (node_id) DO UPDATE SET plan_version = excluded.plan_version,
    dates_json = excluded.dates_json, at = excluded.at, received_at = excluded.received_at
    WHERE excluded.at >= node_readiness.at`)
  const readiness = db.prepare<
    [],
    { node_id: string; plan_version: string; dates_json: string; at: string; received_at: string }
  >('SELECT * FROM node_readiness')
  return {
    /** Stores the programme of several dates in one transaction. */
    putDates: (rows: DateProgramme[]): void => {
      putDates(rows)
    },
    datesBetween<Item>(from: string, to: string): DateProgramme<Item>[] {
      return dateRange.all(from, to).map((r) => ({
        date: r.date,
        dayType: r.day_type,
        zoneDayTypes: JSON.parse(r.zone_day_types_json) as Record<string, 'working' | 'rest'>,
        items: JSON.parse(r.items_json) as Item[],
        updatedAt: r.updated_at,
      }))
    },
    /** Records the per-date digests of plan versions (once per node and version). */
    putDigests: (rows: PlanDigests[]): void => {
      putDigests(rows)
    },
    /** `${nodeId} ${version}` → per-date digests, for every recorded version. */
    allDigests(): Map<string, Record<string, string>> {
      const out = new Map<string, Record<string, string>>()
      for (const r of digests.all()) {
        out.set(
          `${r.node_id} ${r.version}`,
          JSON.parse(r.day_digests_json) as Record<string, string>,
        )
      }
      return out
    },
    /** The per-date digests of one node's plan version (undefined: not recorded). */
    digestsOf(nodeId: string, version: string): Record<string, string> | undefined {
      const r = digestOf.get(nodeId, version)
      return r ? (JSON.parse(r.day_digests_json) as Record<string, string>) : undefined
    },
    /** Forgets versions generated before `before` that no node is meant to hold now. */
    pruneDigests: (before: string): number => prune.run(before).changes,
    /** Keeps a readiness report unless a newer one is stored. */
    putReadiness(r: ReadinessRecord): void {
      upsertReadiness.run({ ...r, datesJson: JSON.stringify(r.dates) })
    },
    /** Every node's latest readiness report, by node id. */
    allReadiness(): Map<string, ReadinessRecord> {
      return new Map(
        readiness.all().map((r) => [
          r.node_id,
          {
            nodeId: r.node_id,
            planVersion: r.plan_version,
            dates: JSON.parse(r.dates_json) as ReadinessRecord['dates'],
            at: r.at,
            receivedAt: r.received_at,
          },
        ]),
      )
    },
  }
}

/** The programme repository. */
export type ProgrammeRepository = ReturnType<typeof createProgrammeRepository>
