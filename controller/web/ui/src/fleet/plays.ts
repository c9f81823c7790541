import {
  type Lang,
  labelOf,
  PLAY_REASON_LABELS,
  type Play,
  type PlaysPage,
} from '../../../../../contract/index.js'

// Pure helpers of the plays page: the query the filters make (always paged: the server caps
// and counts), each event's outcome, reason, deviation and times in the district's zone.

export type { Play, PlaysPage }

/** Rows per page (the server allows up to PLAYS_PAGE_MAX). */
export const PAGE_SIZE = 50

/** Outcomes the status filter offers (the event type after `play.`). */
export const OUTCOMES = ['started', 'finished', 'failed', 'missed', 'interrupted'] as const

/** The page's filters, as kept in the address (`#/plays?date=&zone=&node=&outcome=&page=`). */
export interface PlaysFilters {
  date: string
  zone: string
  node: string
  outcome: string
  page: number
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

/** Filters from the address's query, with `today` when no valid date is given. */
export function filtersOf(query: Record<string, unknown>, today: string): PlaysFilters {
  const s = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : '')
  const page = Number.parseInt(s('page'), 10)
  return {
    date: DATE_RE.test(s('date')) ? s('date') : today,
    zone: s('zone'),
    node: s('node'),
    outcome: (OUTCOMES as readonly string[]).includes(s('outcome')) ? s('outcome') : '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  }
}

/** The address's query for the filters (defaults left out). */
export function queryOf(f: PlaysFilters, today: string): Record<string, string> {
  const q: Record<string, string> = {}
  if (f.date !== today) q.date = f.date
  if (f.zone) q.zone = f.zone
  if (f.node) q.node = f.node
  if (f.outcome) q.outcome = f.outcome
  if (f.page > 1) q.page = String(f.page)
  return q
}

/** `api/plays?…` for one page of the filtered plays (`outcome` overrides the filter's). */
export function playsPath(f: PlaysFilters, o: { outcome?: string; limit?: number } = {}): string {
  const p = new URLSearchParams({ date: f.date })
  if (f.zone) p.set('zone', f.zone)
  if (f.node) p.set('node', f.node)
  const outcome = o.outcome ?? f.outcome
  if (outcome) p.set('outcome', outcome)
  const limit = o.limit ?? PAGE_SIZE
  p.set('limit', String(limit))
  p.set('offset', String(o.limit === undefined ? (f.page - 1) * PAGE_SIZE : 0))
  return `api/plays?${p}`
}

/** What an event says: its type after `play.`, a make-good's finish as `madeGood`. */
export function outcomeOf(p: Pick<Play, 'type' | 'makeGood'>): string {
  const type = p.type.startsWith('play.') ? p.type.slice(5) : p.type
  return p.makeGood === true && type === 'finished' ? 'madeGood' : type
}

/** The reason in words (from contract/labels), or '' without one. */
export function reasonText(p: Pick<Play, 'reason'>, lang: Lang): string {
  return p.reason ? labelOf(PLAY_REASON_LABELS, p.reason, lang) : ''
}

/** A start deviation as a key of the messages and its number: "120 毫秒", "1.5 秒". */
export function deviationParts(ms: number | undefined): { key: string; n: string } | null {
  if (ms === undefined || !Number.isFinite(ms)) return null
  const abs = Math.abs(ms)
  const sign = ms < 0 ? '-' : ''
  if (abs < 1000) return { key: 'plays.ms', n: `${sign}${Math.round(abs)}` }
  return { key: 'plays.s', n: `${sign}${Math.round(abs / 100) / 10}` }
}

/** "YYYY-MM-DD" of an instant in the time zone `tz`. */
export function localDate(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms)
}

/** "HH:MM:SS" (or "HH:MM") of an ISO instant in the time zone `tz`; '' when not an instant. */
export function localTime(iso: string | undefined, tz: string, seconds = true): string {
  const ms = iso ? Date.parse(iso) : Number.NaN
  if (Number.isNaN(ms)) return ''
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(ms)
}

/** The date a stream play belongs to: its `date`, else its item id's prefix. */
export function playDate(p: { date?: unknown; itemId?: unknown }): string | null {
  if (typeof p.date === 'string') return p.date
  return typeof p.itemId === 'string' && DATE_RE.test(p.itemId.slice(0, 10))
    ? p.itemId.slice(0, 10)
    : null
}

/**
 * A play's (or a report line's) title in the reader's words: a live session's title is
 * "喊话 · <user> · HH:MM" or "转播 · <host>" from the server; its first word is the UI's own
 * (`word(kind)`), the rest (name, time, host) stays as sent.
 */
export function titleText(
  row: { title?: string; live?: { kind: 'voice' | 'relay' } },
  word: (kind: 'voice' | 'relay') => string,
): string {
  const title = row.title ?? ''
  if (!row.live) return title
  return [word(row.live.kind), ...title.split(' · ').slice(1)].join(' · ')
}
