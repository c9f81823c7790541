import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../platform/database.js'
import { createDaysRepository } from './days-repository.js'

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../../platform/migrations')
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A database file as main left it before zone orders (migrations up to 019). */
function databaseAt19(): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-days-'))
  dirs.push(dir)
  const db = new Database(join(dir, 'chorus.db'))
  for (const f of readdirSync(MIGRATIONS).sort()) {
    if (/^\d{3}-/.test(f) && Number(f.slice(0, 3)) <= 19) {
      db.exec(readFileSync(join(MIGRATIONS, f), 'utf8'))
    }
  }
  db.pragma('user_version = 19')
  return db
}

describe('days repository: zone orders (migration 020)', () => {
  it("keeps existing orders and their versions as the district's, and stores zones' apart", () => {
    const db = databaseAt19()
    const items = JSON.stringify([{ id: 'a', start: '08:00:00', audioId: null, title: '' }])
    db.prepare(
      "INSERT INTO day_orders (date, mode, items_json, updated_at, drill) VALUES ('2026-12-02', 'add', ?, 't', 1)",
    ).run(items)
    db.prepare(`INSERT INTO day_order_versions (date, version, mode, items_json, drill, deleted,
      saved_at, saved_by) VALUES ('2026-12-02', 1, 'add', ?, 1, 0, 't', 'office')`).run(items)
    expect(migrate(db)).toBeGreaterThanOrEqual(20)
    const days = createDaysRepository(db)
    expect(days.get('2026-12-02')).toMatchObject({ zoneId: '', mode: 'add', drill: true })
    expect(days.versions('2026-12-02').map((v) => [v.zoneId, v.version, v.savedBy])).toEqual([
      ['', 1, 'office'],
    ])

    // A zone's order of the same date is its own, with its own history.
    days.put(
      { zoneId: 'z-town', date: '2026-12-02', mode: 'replace', items: [], updatedAt: 'u' },
      'town',
    )
    expect(days.get('2026-12-02', 'z-town')?.mode).toBe('replace')
    expect(days.get('2026-12-02')?.mode).toBe('add')
    expect(days.versions('2026-12-02', 'z-town').map((v) => v.version)).toEqual([1])
    expect(days.betweenAllZones('2026-12-01', '2026-12-03').map((d) => d.zoneId)).toEqual([
      '',
      'z-town',
    ])
    expect(days.remove('2026-12-02', 'w', 'town', 'z-town')).toBe(true)
    expect(days.get('2026-12-02')).not.toBeNull()
    expect(days.versions('2026-12-02', 'z-town').map((v) => v.deleted)).toEqual([true, false])
    db.close()
  })
})
