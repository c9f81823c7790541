import type { CalendarDay, HolidayPreview, HolidayStatus } from '../../../../../contract/index.js'

// Pure helpers of the calendar page: the month grid, month steps, and the selection of several
// days (click toggles a day, shift-click adds the days between the last click and this one).

export type { CalendarDay, HolidayPreview, HolidayStatus }

/** What a day meant before and after an import. */
export type Meaning = HolidayPreview['changes'][number]['before']

const pad = (n: number) => String(n).padStart(2, '0')

/** `YYYY-MM` of a `YYYY-MM-DD` date. */
export const monthOf = (date: string): string => date.slice(0, 7)

/** The month `delta` months from `month` (`YYYY-MM`). */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const index = y * 12 + (m - 1) + delta
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`
}

/** The month as weeks, Monday first: each cell a date or null (days of other months). */
export function monthGrid(month: string): (string | null)[][] {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate()
  const lead = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7
  const cells: (string | null)[] = Array.from({ length: lead }, () => null)
  for (let d = 1; d <= days; d++) cells.push(`${month}-${pad(d)}`)
  while (cells.length % 7) cells.push(null)
  const weeks: (string | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

/** Every date from `a` to `b` (either order), both included. */
export function datesBetween(a: string, b: string): string[] {
  const [from, to] = a <= b ? [a, b] : [b, a]
  const out: string[] = []
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`);
    t += 86_400_000
  ) {
    out.push(new Date(t).toISOString().slice(0, 10))
  }
  return out
}

/** The selection after a click on `date` (`shift`: the range from `anchor`). Sorted. */
export function select(
  current: readonly string[],
  date: string,
  anchor: string | null,
  shift: boolean,
): string[] {
  const set = new Set(current)
  if (shift && anchor) for (const d of datesBetween(anchor, date)) set.add(d)
  else if (set.has(date)) set.delete(date)
  else set.add(date)
  return [...set].sort()
}

/**
 * Where a day's type comes from at the zone shown, as a message key and its parameters: this
 * level's own override (the district's reads as the office's), a higher zone's or the district's
 * inherited, or the official calendar / Mon–Fri.
 */
export function typeFromText(
  d: Pick<CalendarDay, 'zone' | 'ownOverride' | 'typeFrom' | 'source'>,
): {
  key: string
  params: Record<string, string>
} {
  if (d.ownOverride) {
    return { key: d.zone === '' ? SOURCE_KEY.override : 'calendar.from.own', params: {} }
  }
  if (d.typeFrom.kind === 'zone') {
    return { key: 'calendar.from.zone', params: { name: d.typeFrom.zoneName ?? d.typeFrom.zoneId } }
  }
  if (d.typeFrom.kind === 'district') return { key: 'calendar.from.district', params: {} }
  return { key: SOURCE_KEY[d.source], params: {} }
}

/** The cell's mark: overridden at this level, inherited from an override above, or neither. */
export const overrideMark = (d: Pick<CalendarDay, 'ownOverride' | 'typeFrom'>): string =>
  d.ownOverride
    ? 'own'
    : d.typeFrom.kind === 'zone' || d.typeFrom.kind === 'district'
      ? 'inherited'
      : ''

/** The message key of where a day's type comes from. */
export const SOURCE_KEY = {
  override: 'calendar.source.override',
  official: 'calendar.source.official',
  weekday: 'calendar.source.weekday',
} as const
