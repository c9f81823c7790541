import type { Db } from '../../platform/index.js'

/** A stored running-order template of one day type. */
export interface TemplateRecord<Item = unknown> {
  dayType: 'working' | 'rest'
  items: Item[]
  targetCount: number
  updatedAt: string
}

interface TemplateRow {
  day_type: 'working' | 'rest'
  items_json: string
  target_count: number
  updated_at: string
}

/** The working-day and rest-day templates. */
export function createTemplatesRepository(db: Db) {
  const byType = db.prepare<[string], TemplateRow>('SELECT * FROM templates WHERE day_type = ?')
  const upsert = db.prepare(`INSERT INTO templates (day_type, items_json, target_count, updated_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (day_type) DO UPDATE SET items_json = excluded.items_json,
    target_count = excluded.target_count, updated_at = excluded.updated_at`)
  const insertIfMissing = db.prepare(`INSERT OR IGNORE INTO templates (day_type, items_json,
    target_count, updated_at) VALUES (?, ?, ?, ?)`)
  return {
    get<Item>(dayType: 'working' | 'rest'): TemplateRecord<Item> | null {
      const r = byType.get(dayType)
      if (!r) return null
      return {
        dayType: r.day_type,
        items: JSON.parse(r.items_json) as Item[],
        targetCount: r.target_count,
        updatedAt: r.updated_at,
      }
    },
    put(t: TemplateRecord): void {
      upsert.run(t.dayType, JSON.stringify(t.items), t.targetCount, t.updatedAt)
    },
    /** Stores `t` only when its day type has no template yet; true when it did. */
    seed: (t: TemplateRecord): boolean =>
      insertIfMissing.run(t.dayType, JSON.stringify(t.items), t.targetCount, t.updatedAt)
        .changes === 1,
  }
}

/** The templates repository. */
export type TemplatesRepository = ReturnType<typeof createTemplatesRepository>
