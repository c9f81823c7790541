import type { Db } from '../database.js'

/** A date's own running order as stored; items follow schedules' RunningOrderItem shape. */
export interface DayOrderRecord<Item = unknown> {
  date: string
  mode: 'replace' | 'add'
  items: Item[]
  updatedAt: string
}

interface DayRow {
  date: string
  mode: 'replace' | 'add'
  items_json: string
  updated_at: string
}

/** Per-date running orders. */
export function createDaysRepository(db: Db) {
  const byDate = db.prepare<[string], DayRow>('SELECT * FROM day_orders WHERE date = ?')
  const range = db.prepare<[string, string], DayRow>(
    'SELECT * FROM day_orders WHERE date >= ? AND date <= ? ORDER BY date',
  )
  const upsert = db.prepare(`INSERT INTO day_orders (date, mode, items_json, updated_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (date) DO UPDATE SET mode = excluded.mode,
    items_json = excluded.items_json, updated_at = excluded.updated_at`)
  const usingAudio = db.prepare<[string, string], { date: string }>(`SELECT date FROM day_orders
    WHERE date >= ? AND items_json LIKE ? ORDER BY date`)
  const toRecord = <Item>(r: DayRow): DayOrderRecord<Item> => ({
    date: r.date,
    mode: r.mode,
    items: JSON.parse(r.items_json) as Item[],
    updatedAt: r.updated_at,
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
      upsert.run(rec.date, rec.mode, JSON.stringify(rec.items), rec.updatedAt)
    },
    /** Dates from `from` on whose order mentions this audio id. */
    datesUsingAudio: (audioId: string, from: string): string[] =>
      usingAudio.all(from, `%"${audioId}"%`).map((r) => r.date),
  }
}

/** The day-orders repository. */
export type DaysRepository = ReturnType<typeof createDaysRepository>
