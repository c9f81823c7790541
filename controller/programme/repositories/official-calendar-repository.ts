import type { OfficialDay } from '../../../schedules/index.js'
import type { Db } from '../../platform/index.js'

/** A year whose official arrangement the office imported. */
export interface OfficialYear {
  year: number
  source: 'notice' | 'ics'
  importedAt: string
  importedBy: string
  dayCount: number
}

interface YearRow {
  year: number
  source: 'notice' | 'ics'
  imported_at: string
  imported_by: string
  day_count: number
}

interface DayRow {
  date: string
  type: 'working' | 'rest'
  name: string
  name_zh: string
}

/** Imported official arrangements (the State Council's notice, or an .ics), by year. */
export function createOfficialCalendarRepository(db: Db) {
  const years = db.prepare<[], YearRow>(`SELECT y.year, y.source, y.imported_at, y.imported_by,
    (SELECT count(*) FROM official_days d WHERE d.year = y.year) AS day_count
    FROM official_years y ORDER BY y.year`)
  const days = db.prepare<[], DayRow>(
    'SELECT date, type, name, name_zh FROM official_days ORDER BY date',
  )
  const upsertYear = db.prepare(`INSERT INTO official_years (year, source, imported_at, imported_by)
    VALUES (?, ?, ?, ?) ON CONFLICT (year) DO UPDATE SET source = excluded.source,
    imported_at = excluded.imported_at, imported_by = excluded.imported_by`)
  const clearDays = db.prepare('DELETE FROM official_days WHERE year = ?')
  const insertDay = db.prepare(
    'INSERT OR REPLACE INTO official_days (date, year, type, name, name_zh) VALUES (?, ?, ?, ?, ?)',
  )
  const removeYear = db.prepare('DELETE FROM official_years WHERE year = ?')
  const replace = db.transaction(
    (year: number, source: 'notice' | 'ics', at: string, by: string, list: OfficialDay[]) => {
      upsertYear.run(year, source, at, by)
      clearDays.run(year)
      for (const d of list) insertDay.run(d.date, year, d.type, d.name, d.nameZh)
    },
  )
  const remove = db.transaction((year: number): boolean => {
    clearDays.run(year)
    return removeYear.run(year).changes === 1
  })
  return {
    years: (): OfficialYear[] =>
      years.all().map((r) => ({
        year: r.year,
        source: r.source,
        importedAt: r.imported_at,
        importedBy: r.imported_by,
        dayCount: r.day_count,
      })),
    days: (): OfficialDay[] =>
      days.all().map((r) => ({ date: r.date, type: r.type, name: r.name, nameZh: r.name_zh })),
    /** Replaces a year's arrangement in one transaction. */
    replace(
      year: number,
      source: 'notice' | 'ics',
      importedAt: string,
      importedBy: string,
      list: OfficialDay[],
    ): void {
      replace(year, source, importedAt, importedBy, list)
    },
    /** Forgets a year's import (the package's data applies again); false when none. */
    remove: (year: number): boolean => remove(year),
  }
}

/** The official calendar repository. */
export type OfficialCalendarRepository = ReturnType<typeof createOfficialCalendarRepository>
