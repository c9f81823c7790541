import { dayStart } from '../format.js'
import type { I18n, MessageKey } from '../i18n.js'
import type { AudioUsage, CalendarDay, DayTypeInfo, Issue } from '../programme-types.js'
import { REASONS } from './play-text.js'

// Words for the programme pages, built from codes and params (never from the server's English,
// which is only the fallback for a code the UI does not know yet). No DOM here.

/** `t(key)` when the key exists, else `fallback`. */
export function tOr(
  i18n: I18n,
  key: string,
  fallback: string,
  vars?: Record<string, string | number>,
): string {
  const text = i18n.t(key as MessageKey, vars)
  return text === key ? fallback : text
}

/** "2:05" / "1:02:03" from milliseconds. */
export function mmss(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** "-23.4" LUFS, or the dash. */
export function lufs(v: number | null, none: string): string {
  return v === null || !Number.isFinite(v) ? none : v.toFixed(1)
}

/** "07:30" for "07:30:00"; seconds only when not zero. */
export function clock(start: string): string {
  return start.endsWith(':00') && start.length === 8 ? start.slice(0, 5) : start
}

/**
 * "HH:MM:SS" from what an editor types: "7:30", "07:30", "0730", "07:30:15", "19.30",
 * "193015"; null when it is not a time of day.
 */
export function normaliseTime(value: string): string | null {
  const v = value.trim().replace(/[.：]/g, ':')
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v) ?? /^(\d{2})(\d{2})(\d{2})?$/.exec(v)
  if (!m) return null
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)]
  if (h > 23 || min > 59 || s > 59) return null
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(h)}:${p(min)}:${p(s)}`
}

/** A validation issue in words; `titleOf` names the other item of an overlap by its id. */
export function issueText(i18n: I18n, issue: Issue, clockOf?: (itemId: string) => string): string {
  const p = issue.params ?? {}
  const s = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')
  const start = clock(s(p.start))
  switch (issue.code) {
    case 'MISSING_AUDIO':
      return i18n.t(
        issue.severity === 'error' ? 'issue.MISSING_AUDIO.gone' : 'issue.MISSING_AUDIO.empty',
        { start },
      )
    case 'QUIET_HOURS':
      return i18n.t('issue.QUIET_HOURS', { start })
    case 'PAST_MIDNIGHT':
      return i18n.t('issue.PAST_MIDNIGHT', { start, end: clock(s(p.end)) })
    case 'OVERLAP': {
      const other = clock(s(p.otherStart)) || (clockOf ? clockOf(s(p.otherItemId)) : '')
      const seconds = Math.max(1, Math.round(Number(p.overlapMs ?? 0) / 1000))
      return i18n.t('issue.OVERLAP', { start, other, seconds })
    }
    case 'COUNT_MISMATCH':
      return i18n.t('issue.COUNT_MISMATCH', { count: s(p.count), target: s(p.targetCount) })
    case 'DUPLICATE_ID':
      return i18n.t('issue.DUPLICATE_ID', { start })
    default:
      return issue.message
  }
}

/** "工作日" / "休息日". */
export function dayTypeText(i18n: I18n, type: 'working' | 'rest'): string {
  return i18n.t(type === 'working' ? 'dayType.working' : 'dayType.rest')
}

/** The holiday's name in the UI's language, if any. */
export function holidayName(i18n: I18n, d: Pick<DayTypeInfo, 'holidayName' | 'holidayNameZh'>) {
  return (i18n.lang() === 'zh' ? d.holidayNameZh || d.holidayName : d.holidayName) ?? null
}

/** "休息日 · 国庆节 · 官方日历" / "工作日 · 办公室设定". */
export function dayTypeLine(i18n: I18n, d: DayTypeInfo & { note?: string | null }): string {
  const parts = [dayTypeText(i18n, d.type)]
  const name = holidayName(i18n, d)
  if (name) parts.push(name)
  if (d.note) parts.push(d.note)
  parts.push(i18n.t(`dayType.source.${d.source}`))
  return parts.join(' · ')
}

/** Whether the calendar day's own order replaces or adds to its template. */
export function orderText(i18n: I18n, d: Pick<CalendarDay, 'hasOwnOrder' | 'mode'>): string {
  if (!d.hasOwnOrder) return i18n.t('order.mode.template')
  return i18n.t(d.mode === 'add' ? 'order.mode.add' : 'order.mode.replace')
}

/** Where a recording is still used, in words (AUDIO_IN_USE details, GET …/usage). */
export function usageText(i18n: I18n, u: AudioUsage): string {
  const sep = i18n.t('common.listSep')
  const parts: string[] = []
  if (u.templates.length > 0) {
    parts.push(u.templates.map((d) => i18n.t(`order.template.${d}`)).join(sep))
  }
  if (u.dates.length > 0) parts.push(i18n.t('usage.dates', { dates: u.dates.join(sep) }))
  if (u.announcements.length > 0) {
    const list = u.announcements.map((a) => `${a.title}（${a.date}）`).join(sep)
    parts.push(i18n.t('usage.announcements', { list }))
  }
  return parts.join(i18n.t('usage.sep'))
}

function isUsage(v: unknown): v is AudioUsage {
  const u = v as AudioUsage | null
  return (
    !!u && Array.isArray(u.templates) && Array.isArray(u.dates) && Array.isArray(u.announcements)
  )
}

/** What this module reads of api.ts's `ApiError` (not imported: that module needs the DOM). */
interface ApiFailure extends Error {
  status: number
  code: string | null
  details: unknown
}

/** An `ApiError`, told by its name and fields. */
function isApiError(err: unknown): err is ApiFailure {
  return err instanceof Error && err.name === 'ApiError' && 'status' in err && 'code' in err
}

/** An API failure in words: by code (and details), else the server's message. */
export function apiErrorText(i18n: I18n, err: unknown): string {
  if (!isApiError(err)) return err instanceof Error ? err.message : String(err)
  const d = err.details as Record<string, unknown> | null
  switch (err.code) {
    case 'AUDIO_IN_USE':
      if (isUsage(d)) return i18n.t('error.AUDIO_IN_USE', { where: usageText(i18n, d) })
      break
    case 'COLUMN_IN_USE': {
      const templates = Array.isArray(d?.templates) ? (d.templates as ('working' | 'rest')[]) : []
      const dates = Array.isArray(d?.dates) ? (d.dates as string[]) : []
      const where = usageText(i18n, { templates, dates, announcements: [] })
      return i18n.t('error.COLUMN_IN_USE', { where })
    }
    case 'AUDIO_INVALID':
      return i18n.t('error.AUDIO_INVALID', { why: invalidAudioText(i18n, err.message, d) })
    case null:
      break
    default: {
      const text = tOr(i18n, `error.${err.code}`, '')
      if (text) return `${text}（${err.message.replace(/^\d+ /, '')}）`
    }
  }
  if (err.status === 0) return i18n.t('error.network')
  return err.message
}

/** Why an upload is not usable audio: by `details.code`, or what the message says. */
function invalidAudioText(i18n: I18n, message: string, d: Record<string, unknown> | null): string {
  // A file cut off in transfer carries its decoder's code; the message says "incomplete".
  if (/incomplete/i.test(message)) return i18n.t('error.audio.incomplete')
  const long = /(\d+) minutes long; the limit is (\d+)/.exec(message)
  if (long) return i18n.t('error.audio.tooLong', { minutes: long[1] ?? '', limit: long[2] ?? '' })
  const sub = typeof d?.code === 'string' ? d.code : ''
  return tOr(i18n, `error.audio.${sub}`, message.replace(/^\d+ /, ''))
}

/** Report reasons: the agent's failure reasons, plus `offline`, `noReport`, `preempted`… */
export function reportReasonText(i18n: I18n, reason: string): string {
  if (REASONS.includes(reason)) return i18n.t(`reason.${reason}` as MessageKey)
  return tOr(i18n, `report.reason.${reason}`, reason)
}

/** "离线×3；迟到×1" from a reasons record, most frequent first. */
export function reasonsText(i18n: I18n, reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${reportReasonText(i18n, r)} ×${n}`)
    .join(i18n.t('common.listSep'))
}

/** Percent with no decimals, or the dash when there is nothing to divide by. */
export function percent(part: number, whole: number, none = '—'): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : none
}

/** The instant of a local date and time ("2026-11-28T10:00") in the district's zone, as ISO. */
export function localInstant(value: string, tz: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value)
  if (!m) return null
  const ms =
    dayStart(m[1] as string, tz) +
    (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}
