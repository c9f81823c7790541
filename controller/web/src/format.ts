import type { I18n } from './i18n.js'

/** The district's time zone by default (PRODUCT.md); views use the store's, from /api/health. */
export const TZ = 'Asia/Shanghai'

const dateFormats = new Map<string, Intl.DateTimeFormat>()

function fmt(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = dateFormats.get(key)
  if (!f) {
    f = make()
    dateFormats.set(key, f)
  }
  return f
}

/** The local date (YYYY-MM-DD) of an instant in `tz`. */
export function dateIn(tz: string, at: number | Date = Date.now()): string {
  const f = fmt(
    `date|${tz}`,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }),
  )
  const parts: Record<string, string> = {}
  for (const p of f.formatToParts(at)) parts[p.type] = p.value
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** HH:mm:ss of an ISO instant in `tz`. */
export function timeOf(iso: string, tz: string): string {
  const f = fmt(
    `time|${tz}`,
    () =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: tz,
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  )
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : f.format(ms)
}

/** Date and time of an ISO instant in `tz`, in the UI's locale (for titles). */
export function dateTimeOf(iso: string, tz: string, locale: string): string {
  const f = fmt(
    `dt|${tz}|${locale}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone: tz,
        dateStyle: 'medium',
        timeStyle: 'medium',
      }),
  )
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : f.format(ms)
}

/** "3 分钟前" / "3 min ago" for an ISO instant; "从未" for null. */
export function ago(iso: string | null, now: number, i18n: I18n): string {
  if (!iso) return i18n.t('time.never')
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  const sec = Math.max(0, Math.round((now - ms) / 1000))
  if (sec < 10) return i18n.t('time.justNow')
  if (sec < 60) return i18n.t('time.secondsAgo', { n: sec })
  if (sec < 3600) return i18n.t('time.minutesAgo', { n: Math.floor(sec / 60) })
  if (sec < 86_400) return i18n.t('time.hoursAgo', { n: Math.floor(sec / 3600) })
  return i18n.t('time.daysAgo', { n: Math.floor(sec / 86_400) })
}

/** A duration in the largest sensible unit: "2 小时" / "2 h". */
export function duration(sec: number, i18n: I18n): string {
  if (sec < 60) return i18n.t('time.seconds', { n: Math.round(sec) })
  if (sec < 3600) return i18n.t('time.minutes', { n: Math.floor(sec / 60) })
  if (sec < 86_400) return i18n.t('time.hours', { n: Math.floor(sec / 3600) })
  return i18n.t('time.days', { n: Math.floor(sec / 86_400) })
}

/** "08:00" from an item id such as `2026-11-27/t080000`, else null. */
export function itemClock(itemId: string): string | null {
  const m = /\/t(\d{2})(\d{2})(\d{2})?(?:-\d+)?$/.exec(itemId)
  return m ? `${m[1]}:${m[2]}` : null
}

/** "11月27日 08:00:05" / "Nov 27, 08:00:05": a compact instant for lists. */
export function shortDateTime(iso: string, tz: string, locale: string): string {
  const f = fmt(
    `short|${tz}|${locale}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone: tz,
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  )
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : f.format(ms)
}

/** "11月27日 周五" / "Fri, Nov 27" for a local date (YYYY-MM-DD). */
export function dayLabel(date: string, locale: string): string {
  const f = fmt(
    `day|${locale}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone: 'UTC',
        month: 'short',
        day: 'numeric',
        weekday: 'short',
      }),
  )
  const ms = Date.parse(`${date}T00:00:00Z`)
  return Number.isNaN(ms) ? date : f.format(ms)
}

/** HH:mm of an instant in `tz` (chart axes). */
export function clockOf(ms: number, tz: string): string {
  const f = fmt(
    `hm|${tz}`,
    () =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: tz,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  )
  return f.format(ms)
}

/** How far `tz` is ahead of UTC at an instant, in ms. */
export function tzOffsetMs(tz: string, at: number): number {
  const f = fmt(
    `parts|${tz}`,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        hourCycle: 'h23',
      }),
  )
  const p: Record<string, number> = {}
  for (const part of f.formatToParts(at)) p[part.type] = Number(part.value)
  const local = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour, p.minute, p.second)
  return local - (at - (at % 1000))
}

/** The instant a local date (YYYY-MM-DD) starts in `tz`. */
export function dayStart(date: string, tz: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`)
  const guess = utcMidnight - tzOffsetMs(tz, utcMidnight)
  // Once more at the guess, in case the offset changes between the two instants.
  return utcMidnight - tzOffsetMs(tz, guess)
}

/** The local date (YYYY-MM-DD) `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** "1.8" seconds from milliseconds, one decimal. */
export function secondsText(ms: number): string {
  return (ms / 1000).toFixed(1)
}

/** "512 MB" / "1.4 GB" (binary units, as `free` and `df -h` show them). */
export function bytesText(n: number): string {
  const mb = n / 1024 / 1024
  if (Math.abs(mb) >= 1024) return `${(mb / 1024).toFixed(1)} GB`
  if (Math.abs(mb) >= 10) return `${Math.round(mb)} MB`
  return `${mb.toFixed(1)} MB`
}
