import type { Db } from '../../platform/index.js'

/** A zone of the administrative tree. */
export interface Zone {
  id: string
  name: string
  parentId: string | null
  code: string | null
}

interface ZoneRow {
  id: string
  name: string
  parent_id: string | null
  code: string | null
}

const toZone = (r: ZoneRow): Zone => ({
  id: r.id,
  name: r.name,
  parentId: r.parent_id,
  code: r.code,
})

/** What refers to a zone. */
export interface ZoneUsage {
  children: number
  nodes: number
  retiredNodes: number
  users: number
  tokens: number
  announcements: number
  /** Dates with the zone's own running order (issue 11). */
  runningOrders: number
  /** Dates with the zone's own calendar override (issue 11). */
  calendarOverrides: number
}

interface UsageRow {
  children: number
  nodes: number
  retired_nodes: number
  users: number
  tokens: number
  announcements: number
  running_orders: number
  calendar_overrides: number
}

/** Zones: the district tree that targeting and roles follow. */
export function createZonesRepository(db: Db) {
  const all = db.prepare<[], ZoneRow>('SELECT id, name, parent_id, code FROM zones ORDER BY name')
  const byId = db.prepare<[string], ZoneRow>(
    'SELECT id, name, parent_id, code FROM zones WHERE id = ?',
  )
  const byName = db.prepare<[string], ZoneRow>(
    'SELECT id, name, parent_id, code FROM zones WHERE name = ?',
  )
  const insert = db.prepare(
    'INSERT INTO zones (id, name, parent_id, code, created_at) VALUES (?, ?, ?, ?, ?)',
  )
  const byCode = db.prepare<[string], ZoneRow>(
    'SELECT id, name, parent_id, code FROM zones WHERE code = ?',
  )
  const update = db.prepare(
    'UPDATE zones SET name = @name, parent_id = @parentId, code = @code WHERE id = @id',
  )
  const remove = db.prepare('DELETE FROM zones WHERE id = ?')
  const usage = db.prepare<
    [string, string, string, string, string, string, string, string],
    UsageRow
  >(`SELECT
    (SELECT count(*) FROM zones WHERE parent_id = ?) AS children,
    (SELECT count(*) FROM nodes WHERE zone_id = ? AND retired_at IS NULL) AS nodes,
    (SELECT count(*) FROM nodes WHERE zone_id = ? AND retired_at IS NOT NULL) AS retired_nodes,
    (SELECT count(*) FROM users u WHERE EXISTS (SELECT 1 FROM json_each(u.zones) WHERE value = ?))
      AS users,
    (SELECT count(*) FROM api_tokens t
      WHERE EXISTS (SELECT 1 FROM json_each(t.zones) WHERE value = ?)) AS tokens,
    (SELECT count(*) FROM announcements a
      WHERE EXISTS (SELECT 1 FROM json_each(a.zones_json) WHERE value = ?)) AS announcements,
    (SELECT count(*) FROM day_orders WHERE zone_id = ?) AS running_orders,
    (SELECT count(*) FROM day_types WHERE zone_id = ?) AS calendar_overrides`)
  const counts = db.prepare<[], { zone_id: string; n: number }>(
    'SELECT zone_id, count(*) AS n FROM nodes WHERE retired_at IS NULL GROUP BY zone_id',
  )
  const insertMany = db.transaction((zones: Zone[], createdAt: string) => {
    for (const z of zones) insert.run(z.id, z.name, z.parentId, z.code, createdAt)
  })
  return {
    /** A zone by id, else by its administrative code. */
    resolve(ref: string): Zone | null {
      const r = byId.get(ref) ?? byCode.get(ref)
      return r ? toZone(r) : null
    },
    findByCode: (code: string): Zone | null => {
      const r = byCode.get(code)
      return r ? toZone(r) : null
    },
    update(zone: Zone): void {
      update.run(zone)
    },
    delete: (id: string): boolean => remove.run(id).changes === 1,
    /** What refers to a zone: a zone in use cannot be deleted. */
    usage(id: string): ZoneUsage {
      const r = usage.get(id, id, id, id, id, id, id, id) as UsageRow
      return {
        children: r.children,
        nodes: r.nodes,
        retiredNodes: r.retired_nodes,
        users: r.users,
        tokens: r.tokens,
        announcements: r.announcements,
        runningOrders: r.running_orders,
        calendarOverrides: r.calendar_overrides,
      }
    },
    /** Active speakers per zone (own zone only, not below). */
    nodeCounts: (): Map<string, number> => new Map(counts.all().map((r) => [r.zone_id, r.n])),
    /** Inserts several zones in one transaction (a district's tree). */
    insertMany(zones: Zone[], createdAt: string): void {
      insertMany(zones, createdAt)
    },
    list: (): Zone[] => all.all().map(toZone),
    get: (id: string): Zone | null => {
      const r = byId.get(id)
      return r ? toZone(r) : null
    },
    findByName: (name: string): Zone[] => byName.all(name).map(toZone),
    insert(zone: Zone, createdAt: string): Zone {
      insert.run(zone.id, zone.name, zone.parentId, zone.code, createdAt)
      return zone
    },
  }
}

/** The zones repository. */
export type ZonesRepository = ReturnType<typeof createZonesRepository>
