import type { Db } from '../../platform/index.js'

/** A date's own running order as stored; items follow schedules' RunningOrderItem shape. */
export interface DayOrderRecord<Item = unknown> {
  /** The zone whose order it is ('' or absent: the district's). */
  zoneId?: string
  date: string
  mode: 'replace' | 'add'
  items: Item[]
  updatedAt: string
  /** A drill day: its order plays only on test nodes (issue 3). */
  drill?: boolean
}

/** One saved version of a date's order (or its removal). */
export interface DayOrderVersion<Item = unknown> {
  /** The zone whose order it is ('': the district's). */
  zoneId: string
  date: string
  version: number
  mode: 'replace' | 'add'
  items: Item[]
  drill: boolean
  /** This version removed the date's own order. */
  deleted: boolean
  savedAt: string
  savedBy: string
}

interface VersionRow {
  zone_id: string
  date: string
  version: number
  mode: 'replace' | 'add'
  items_json: string
  drill: number
  deleted: number
  saved_at: string
  saved_by: string
}

interface DayRow {
  zone_id: string
  date: string
  mode: 'replace' | 'add'
  items_json: string
  updated_at: string
  drill: number
}

/** Per-date running orders of the district (zone '') and of zones (issue 11, 分级管理). */
export function createDaysRepository(db: Db) {
  const byDate = db.prepare<[string, string], DayRow>(
    'SELECT * FROM day_orders WHERE zone_id = ? AND date = ?',
  )
  const range = db.prepare<[string, string, string], DayRow>(
    'SELECT * FROM day_orders WHERE zone_id = ? AND date >= ? AND date <= ? ORDER BY date',
  )
  const rangeAll = db.prepare<[string, string], DayRow>(
    'SELECT * FROM day_orders WHERE date >= ? AND date <= ? ORDER BY date, zone_id',
  )
  const upsert = db.prepare(`INSERT INTO day_orders (zone_id, date, mode, items_json, updated_at,
    drill) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (zone_id, date) DO UPDATE SET mode = excluded.mode,
    items_json = excluded.items_json, updated_at = excluded.updated_at, drill = excluded.drill`)
  const remove = db.prepare('DELETE FROM day_orders WHERE zone_id = ? AND date = ?')
  const addVersion = db.prepare(`INSERT INTO day_order_versions (zone_id, date, version, mode,
    items_json, drill, deleted, saved_at, saved_by) VALUES (@zone, @date, (SELECT
    coalesce(max(version), 0) + 1 FROM day_order_versions WHERE zone_id = @zone AND date = @date),
    @mode, @items, @drill, @deleted, @at, @by)`)
  const versionsOf = db.prepare<[string, string], VersionRow>(
    'SELECT * FROM day_order_versions WHERE zone_id = ? AND date = ? ORDER BY version DESC',
  )
  const versionOf = db.prepare<[string, string, number], VersionRow>(
    'SELECT * FROM day_order_versions WHERE zone_id = ? AND date = ? AND version = ?',
  )
  const putVersioned = db.transaction((rec: DayOrderRecord, by: string) => {
    const json = JSON.stringify(rec.items)
    const zone = rec.zoneId ?? ''
    upsert.run(zone, rec.date, rec.mode, json, rec.updatedAt, rec.drill ? 1 : 0)
    addVersion.run({
      zone,
      date: rec.date,
      mode: rec.mode,
      items: json,
      drill: rec.drill ? 1 : 0,
      deleted: 0,
      at: rec.updatedAt,
      by,
    })
  })
  const deleteVersioned = db.transaction(
    (zone: string, date: string, at: string, by: string): boolean => {
      const old = byDate.get(zone, date)
      if (!old || remove.run(zone, date).changes !== 1) return false
      addVersion.run({
        zone,
        date,
        mode: old.mode,
        items: old.items_json,
        drill: old.drill,
        deleted: 1,
        at,
        by,
      })
      return true
    },
  )
  const toVersion = <Item>(r: VersionRow): DayOrderVersion<Item> => ({
    zoneId: r.zone_id,
    date: r.date,
    version: r.version,
    mode: r.mode,
    items: JSON.parse(r.items_json) as Item[],
    drill: r.drill === 1,
    deleted: r.deleted === 1,
    savedAt: r.saved_at,
    savedBy: r.saved_by,
  })
  const usingText = db.prepare<[string, string], { date: string }>(`SELECT DISTINCT date
    FROM day_orders WHERE date >= ? AND items_json LIKE ? ORDER BY date`)
  const ordersUsingText = db.prepare<[string, string], { zone_id: string; date: string }>(
    `SELECT zone_id, date FROM day_orders WHERE date >= ? AND items_json LIKE ?
    ORDER BY date, zone_id`,
  )
  const toRecord = <Item>(r: DayRow): DayOrderRecord<Item> => ({
    zoneId: r.zone_id,
    date: r.date,
    mode: r.mode,
    items: JSON.parse(r.items_json) as Item[],
    updatedAt: r.updated_at,
    drill: r.drill === 1,
  })
  return {
    /** A date's own order of `zone` ('': the district's). */
    get<Item>(date: string, zone = ''): DayOrderRecord<Item> | null {
      const r = byDate.get(zone, date)
      return r ? toRecord<Item>(r) : null
    },
    /** The orders of `zone` ('': the district's) from..to. */
    between<Item>(from: string, to: string, zone = ''): DayOrderRecord<Item>[] {
      return range.all(zone, from, to).map((r) => toRecord<Item>(r))
    },
    /** Every order from..to, the district's and every zone's. */
    betweenAllZones<Item>(from: string, to: string): DayOrderRecord<Item>[] {
      return rangeAll.all(from, to).map((r) => toRecord<Item>(r))
    },
    /** Saves a date's order and records it as the date's next version, by `by`. */
    put(rec: DayOrderRecord, by = 'system'): void {
      putVersioned(rec, by)
    },
    /** Removes a date's order, recording the removal as a version; false if it had none. */
    remove: (date: string, at: string, by: string, zone = ''): boolean =>
      deleteVersioned(zone, date, at, by),
    /** A date's saved versions of `zone`'s order, newest first. */
    versions<Item>(date: string, zone = ''): DayOrderVersion<Item>[] {
      return versionsOf.all(zone, date).map((r) => toVersion<Item>(r))
    },
    version<Item>(date: string, version: number, zone = ''): DayOrderVersion<Item> | null {
      const r = versionOf.get(zone, date, version)
      return r ? toVersion<Item>(r) : null
    },
    /** Removes a date's own order (the date falls back to its template); false if none. */
    delete: (date: string, zone = ''): boolean => remove.run(zone, date).changes === 1,
    /** Dates from `from` on whose order (any zone's) mentions this audio id. */
    datesUsingAudio: (audioId: string, from: string): string[] =>
      usingText.all(from, `%"audioId":"${audioId}"%`).map((r) => r.date),
    /** The orders (date and zone, '' the district's) from `from` on that mention this audio id. */
    ordersUsingAudio: (audioId: string, from: string): { zoneId: string; date: string }[] =>
      ordersUsingText
        .all(from, `%"audioId":"${audioId}"%`)
        .map((r) => ({ zoneId: r.zone_id, date: r.date })),
    /** Dates from `from` on whose order (any zone's) mentions this column id. */
    datesUsingColumn: (columnId: string, from: string): string[] =>
      usingText.all(from, `%"columnId":"${columnId}"%`).map((r) => r.date),
  }
}

/** The day-orders repository. */
export type DaysRepository = ReturnType<typeof createDaysRepository>
