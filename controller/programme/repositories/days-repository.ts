import type { Db } from '../../platform/database.js'

/** A date's own running order as stored; items follow schedules' RunningOrderItem shape. */
export interface DayOrderRecord<Item = unknown> {
  date: string
  mode: 'replace' | 'add'
  items: Item[]
  updatedAt: string
  /** A drill day: its order plays only on test nodes (issue 3). */
  drill?: boolean
}

interface DayRow {
  date: string
  mode: 'replace' | 'add'
  items_json: string
  updated_at: string
  drill: number
}

/** Per-date running orders. */
export function createDaysRepository(db: Db) {
  const byDate = db.prepare<[string], DayRow>('SELECT * FROM day_orders WHERE date = ?')
  const range = db.prepare<[string, string], DayRow>(
    'SELECT * FROM day_orders WHERE date >= ? AND date <= ? ORDER BY date',
  )
  const upsert = db.prepare(`INSERT INTO day_orders (date, mode, items_json, updated_at, drill)
    VALUES (?, ?, ?, ?, ?) ON CONFLICT (date) DO UPDATE SET mode = excluded.mode,
    items_json = excluded.items_json, updated_at = excluded.updated_at, drill = excluded.drill`)
  const remove = db.prepare('DELETE FROM day_orders WHERE date = ?')
  const usingText = db.prepare<[string, string], { date: string }>(`SELECT date FROM day_orders
    WHERE date >= ? AND items_json LIKE ? ORDER BY date`)
  const toRecord = <Item>(r: DayRow): DayOrderRecord<Item> => ({
    date: r.date,
    mode: r.mode,
    items: JSON.parse(r.items_json) as Item[],
    updatedAt: r.updated_at,
    drill: r.drill === 1,
  })
  return {
    get<Item>(date: string): DayOrderRecord<Item> | null {
      const r = byDate.get(date)
      return r ? toRecord<Item>(r) : null
    },
    between<Item>(from: string, to: string): DayOrderRecord<Item>[] {
      return range.all(from, to).map((r) => toRecord<Item>(r))
    },
    put(rec: DayOrderRecord): void {
      const json = JSON.stringify(rec.items)
      upsert.run(rec.date, rec.mode, json, rec.updatedAt, rec.drill ? 1 : 0)
    },
    /** Removes a date's own order (the date falls back to its template); false if none. */
    delete: (date: string): boolean => remove.run(date).changes === 1,
    /** Dates from `from` on whose order mentions this audio id. */
    datesUsingAudio: (audioId: string, from: string): string[] =>
      usingText.all(from, `%"audioId":"${audioId}"%`).map((r) => r.date),
    /** Dates from `from` on whose order mentions this column id. */
    datesUsingColumn: (columnId: string, from: string): string[] =>
      usingText.all(from, `%"columnId":"${columnId}"%`).map((r) => r.date),
  }
}

/** The day-orders repository. */
export type DaysRepository = ReturnType<typeof createDaysRepository>
