import type { Db } from '../../platform/index.js'

/** A column (栏目): a kind of programme, with a colour and a default priority for its items. */
export interface ColumnRecord {
  id: string
  name: string
  colour: string
  defaultPriority: number
  /** Missed segments of the column are replayed later (make-good, 补播). */
  makeGood: boolean
  /** How long after a segment's instant its make-good may still end, in minutes. */
  makeGoodWindowMin: number
  /** Time-bound content (weather, warnings): never made good. */
  timeBound: boolean
  createdAt: string
  updatedAt: string
}

interface ColumnRow {
  id: string
  name: string
  colour: string
  default_priority: number
  make_good_enabled: number
  make_good_window_min: number
  time_bound: number
  created_at: string
  updated_at: string
}

const toColumn = (r: ColumnRow): ColumnRecord => ({
  id: r.id,
  name: r.name,
  colour: r.colour,
  defaultPriority: r.default_priority,
  makeGood: r.make_good_enabled === 1,
  makeGoodWindowMin: r.make_good_window_min,
  timeBound: r.time_bound === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** Columns. */
export function createColumnsRepository(db: Db) {
  const all = db.prepare<[], ColumnRow>('SELECT * FROM columns ORDER BY name')
  const byId = db.prepare<[string], ColumnRow>('SELECT * FROM columns WHERE id = ?')
  const byName = db.prepare<[string], ColumnRow>('SELECT * FROM columns WHERE name = ?')
  const upsert = db.prepare(`INSERT INTO columns (id, name, colour, default_priority,
    make_good_enabled, make_good_window_min, time_bound, created_at, updated_at)
    VALUES (@id, @name, @colour, @defaultPriority, @makeGood, @makeGoodWindowMin, @timeBound,
    @createdAt, @updatedAt)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, colour = excluded.colour,
    default_priority = excluded.default_priority, make_good_enabled = excluded.make_good_enabled,
    make_good_window_min = excluded.make_good_window_min, time_bound = excluded.time_bound,
    updated_at = excluded.updated_at`)
  const remove = db.prepare('DELETE FROM columns WHERE id = ?')
  return {
    list: (): ColumnRecord[] => all.all().map(toColumn),
    get: (id: string): ColumnRecord | null => {
      const r = byId.get(id)
      return r ? toColumn(r) : null
    },
    findByName: (name: string): ColumnRecord | null => {
      const r = byName.get(name)
      return r ? toColumn(r) : null
    },
    /** Inserts or replaces a column. */
    put(c: ColumnRecord): void {
      upsert.run({ ...c, makeGood: c.makeGood ? 1 : 0, timeBound: c.timeBound ? 1 : 0 })
    },
    delete: (id: string): boolean => remove.run(id).changes === 1,
  }
}

/** The columns repository. */
export type ColumnsRepository = ReturnType<typeof createColumnsRepository>
