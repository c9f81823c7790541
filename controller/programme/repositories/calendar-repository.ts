import type { Db } from '../../platform/index.js'

/** An office override of a date's day type. */
export interface DayTypeOverride {
  date: string
  type: 'working' | 'rest'
  note: string | null
  updatedAt: string
}

interface OverrideRow {
  date: string
  type: 'working' | 'rest'
  note: string | null
  updated_at: string
}

const toOverride = (r: OverrideRow): DayTypeOverride => ({
  date: r.date,
  type: r.type,
  note: r.note,
  updatedAt: r.updated_at,
})

/** Day-type overrides of the calendar. */
export function createCalendarRepository(db: Db) {
  const range = db.prepare<[string, string], OverrideRow>(
    'SELECT * FROM day_types WHERE date >= ? AND date <= ? ORDER BY date',
  )
  const byDate = db.prepare<[string], OverrideRow>('SELECT * FROM day_types WHERE date = ?')
  const upsert = db.prepare(`INSERT INTO day_types (date, type, note, updated_at) VALUES
    (@date, @type, @note, @updatedAt) ON CONFLICT (date) DO UPDATE SET type = excluded.type,
    note = excluded.note, updated_at = excluded.updated_at`)
  const remove = db.prepare('DELETE FROM day_types WHERE date = ?')
  const many = db.transaction(
    (
      dates: readonly string[],
      type: 'working' | 'rest' | null,
      note: string | null,
      at: string,
    ) => {
      for (const date of dates) {
        if (type === null) remove.run(date)
        else upsert.run({ date, type, note, updatedAt: at })
      }
    },
  )
  return {
    between: (from: string, to: string): DayTypeOverride[] => range.all(from, to).map(toOverride),
    get: (date: string): DayTypeOverride | null => {
      const r = byDate.get(date)
      return r ? toOverride(r) : null
    },
    put(o: DayTypeOverride): void {
      upsert.run(o)
    },
    /** Sets (type) or clears (null) the override of several dates in one transaction. */
    putMany(
      dates: readonly string[],
      type: 'working' | 'rest' | null,
      note: string | null,
      updatedAt: string,
    ): void {
      many(dates, type, note, updatedAt)
    },
    /** Clears a date's override; false when it had none. */
    delete: (date: string): boolean => remove.run(date).changes === 1,
  }
}

/** The calendar repository. */
export type CalendarRepository = ReturnType<typeof createCalendarRepository>
