// The month calendar's pure logic: month arithmetic and the Monday-first grid. No DOM here.

const MONTH_RE = /^(\d{4})-(\d{2})$/

/** Whether `s` is a month "YYYY-MM". */
export function isMonth(s: string | null): s is string {
  const m = s ? MONTH_RE.exec(s) : null
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12
}

/** The month `n` months after `month` ("2026-12" + 1 → "2027-01"). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number)
  const i = (y ?? 1970) * 12 + (m ?? 1) - 1 + n
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
}

/** Days in a month. */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number)
  return new Date(Date.UTC(y ?? 1970, m ?? 1, 0)).getUTCDate()
}

/** 0 = Monday … 6 = Sunday, for a date "YYYY-MM-DD". */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7
}

/**
 * The month as weeks of seven cells, Monday first; cells outside the month are null.
 * "2026-12" starts on a Tuesday: its first week is [null, '2026-12-01', …].
 */
export function monthGrid(month: string): (string | null)[][] {
  const first = `${month}-01`
  const cells: (string | null)[] = Array.from({ length: weekdayOf(first) }, () => null)
  const n = daysInMonth(month)
  for (let d = 1; d <= n; d++) cells.push(`${month}-${String(d).padStart(2, '0')}`)
  while (cells.length % 7 !== 0) cells.push(null)
  const weeks: (string | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}
