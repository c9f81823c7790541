import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../platform/database.js'
import { createCalendarRepository } from './calendar-repository.js'

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../../platform/migrations')
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A database file as main left it before zone calendar overrides (migrations up to 022). */
function databaseAt22(): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-calendar-'))
  dirs.push(dir)
  const db = new Database(join(dir, 'chorus.db'))
  for (const f of readdirSync(MIGRATIONS).sort()) {
    if (/^\d{3}-/.test(f) && Number(f.slice(0, 3)) <= 22) {
      db.exec(readFileSync(join(MIGRATIONS, f), 'utf8'))
    }
  }
  db.pragma('user_version = 22')
  return db
}

describe('calendar repository: zone overrides (migration 023)', () => {
  it("keeps existing overrides as the district's, and stores zones' apart", () => {
    const db = databaseAt22()
    db.prepare(
      "INSERT INTO day_types (date, type, note, updated_at) VALUES ('2026-12-02', 'rest', '雪灾', 't')",
    ).run()
    expect(migrate(db)).toBeGreaterThanOrEqual(23)
    const calendar = createCalendarRepository(db)
    expect(calendar.get('2026-12-02')).toEqual({
      zoneId: '',
      date: '2026-12-02',
      type: 'rest',
      note: '雪灾',
      updatedAt: 't',
    })

    // A zone's override of the same date is its own; clearing it leaves the district's.
    calendar.put({
      zoneId: 'z-town',
      date: '2026-12-02',
      type: 'working',
      note: null,
      updatedAt: 'u',
    })
    calendar.putMany(['2026-12-03'], 'rest', '庙会', 'u', 'z-town')
    expect(calendar.between('2026-12-01', '2026-12-31').map((o) => o.type)).toEqual(['rest'])
    expect(
      calendar.betweenAllZones('2026-12-01', '2026-12-31').map((o) => [o.zoneId, o.date, o.type]),
    ).toEqual([
      ['', '2026-12-02', 'rest'],
      ['z-town', '2026-12-02', 'working'],
      ['z-town', '2026-12-03', 'rest'],
    ])
    expect(calendar.delete('2026-12-02', 'z-town')).toBe(true)
    expect(calendar.delete('2026-12-02', 'z-town')).toBe(false)
    expect(calendar.get('2026-12-02')?.type).toBe('rest')
    db.close()
  })
})
