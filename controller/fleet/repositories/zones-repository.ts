import type { Db } from '../../platform/database.js'

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
  return {
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
