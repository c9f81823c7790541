import type { Db } from '../../platform/index.js'

/** An office override of a date's day type, the district's (zoneId '') or a zone's. */
export interface DayTypeOverride {
  /** The zone whose override this is; '' for the district's (issue 11). */
  zoneId: string
  date: string
  type: 'working' | 'rest'
  note: string | null
  updatedAt: string
}

interface OverrideRow {
  zone_id: string
  date: string
  type: 'working' | 'rest'
  note: string | null
  updated_at: string
}

const toOverride = (r: OverrideRow): DayTypeOverride => ({
  zoneId: r.zone_id,
  date: r.date,
  type: r.type,
  note: r.note,
  updatedAt: r.updated_at,
})

/** Day-type overrides of the calendar, the district's and zones' (migration 023). */
export function createCalendarRepository(db: Db) {
  const range = db.prepare<[string, string, string], OverrideRow>(
    'SELECT * FROM day_types WHERE zone_id = ? AND date >= ? AND date <= ? ORDER BY date',
  )
  const rangeAll = db.prepare<[string, string], OverrideRow>(
    'SELECT * FROM day_types WHERE date >= ? AND date <= ? ORDER BY zone_id, date',
  )
  const byDate = db.prepare<[string, string], OverrideRow>(
    'SELECT * FROM day_types WHERE zone_id = ? AND date = ?',
  )
  const upsert = db.prepare(`INSERT INTO day_types (zone_id, date, type, note, updated_at) VALUES
    (@zoneId, @date, @type, @note, @updatedAt) ON CONFLICT (zone_id, date) DO UPDATE SET
    type = excluded.type, note = excluded.note, updated_at = excluded.updated_at`)
  const remove = db.prepare('DELETE FROM day_types WHERE zone_id = ? AND date = ?')
  const many = db.transaction(
    (
      zoneId: string,
      dates: readonly string[],
      type: 'working' | 'rest' | null,
      note: string | null,
      at: string,
    ) => {
      for (const date of dates) {
        if (type === null) remove.run(zoneId, date)
        else upsert.run({ zoneId, date, type, note, updatedAt: at })
      }
    },
  )
  return {
    /** One zone's overrides ('' the district's) of from..to. */
    between: (from: string, to: string, zoneId = ''): DayTypeOverride[] =>
      range.all(zoneId, from, to).map(toOverride),
    /** The overrides of from..to of the district and of every zone. */
    betweenAllZones: (from: string, to: string): DayTypeOverride[] =>
      rangeAll.all(from, to).map(toOverride),
    get: (date: string, zoneId = ''): DayTypeOverride | null => {
      const r = byDate.get(zoneId, date)
      return r ? toOverride(r) : null
    },
    put(o: DayTypeOverride): void {
      upsert.run(o)
    },
    /** Sets (type) or clears (null) a zone's override of several dates in one transaction. */
    putMany(
      dates: readonly string[],
      type: 'working' | 'rest' | null,
      note: string | null,
      updatedAt: string,
      zoneId = '',
    ): void {
      many(zoneId, dates, type, note, updatedAt)
    },
    /** Clears a date's override of a zone ('' the district); false when it had none. */
    delete: (date: string, zoneId = ''): boolean => remove.run(zoneId, date).changes === 1,
  }
}

/** The calendar repository. */
export type CalendarRepository = ReturnType<typeof createCalendarRepository>
