import type { Db } from '../database.js'

/** A column (栏目): a kind of programme, with a colour and a default priority for its items. */
export interface ColumnRecord {
  id: string
  name: string
  colour: string
  defaultPriority: number
  createdAt: string
  updatedAt: string
}

interface ColumnRow {
  id: string
  name: string
  colour: string
  default_priority: number
  created_at: string
  updated_at: string
}

const toColumn = (r: ColumnRow): ColumnRecord => ({
  id: r.id,
  name: r.name,
  colour: r.colour,
  defaultPriority: r.default_priority,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** Columns. */
export function createColumnsRepository(db: Db) {
  const all = db.prepare<[], ColumnRow>('SELECT * FROM columns ORDER BY name')
  const byId = db.prepare<[string], ColumnRow>('SELECT * FROM columns WHERE id = ?')
  const byName = db.prepare<[string], ColumnRow>('SELECT * FROM columns WHERE name = ?')
  const upsert = db.prepare(`INSERT INTO columns (id, name, colour, default_priority, created_at,
    updated_at) VALUES (@id, @name, @colour, @defaultPriority, @createdAt, @updatedAt)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, colour = excluded.colour,
    default_priority = excluded.default_priority, updated_at = excluded.updated_at`)
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
      upsert.run(c)
    },
    delete: (id: string): boolean => remove.run(id).changes === 1,
  }
}

/** The columns repository. */
export type ColumnsRepository = ReturnType<typeof createColumnsRepository>
