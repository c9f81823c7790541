import type { Audio, AudioUsage } from '../../../../../contract/index.js'
import { ApiError } from '../api/client'
import { errorText, type Translate } from '../api/errors'

// Pure helpers of the recordings page (音频库) and the announcement form: figures in words,
// where a recording is used, why an upload or a delete was refused, and the library's query.

export type { Audio, AudioUsage }

/** What the file choosers offer (the API takes MP3, WAV, M4A/AAC, OGG/Opus, FLAC). */
export const AUDIO_ACCEPT = 'audio/*,.mp3,.wav,.m4a,.aac,.ogg,.opus,.flac'

/** For el-select's `empty-values`: '' is a real choice here ("all", "no column"), not empty. */
export const EMPTY = [null, undefined]

/** Recordings per page of the library table (the API's `limit`/`offset`). */
export const PAGE_SIZE = 50

/** "2:05", "1:02:05" for a duration in milliseconds. */
export function mmss(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** Integrated loudness with one decimal ("-23.4"), or `none` when not measured. */
export function lufs(v: number | null, none: string): string {
  return v === null || !Number.isFinite(v) ? none : v.toFixed(1)
}

/** "340 KB" under a megabyte, "2.4 MB" above. */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** The title a file gets when none is typed (the server does the same): its name, no extension. */
export const titleOf = (fileName: string): string => fileName.replace(/\.[^.]+$/, '')

/** Whether a value has the shape of `AudioUsage` (GET …/usage, AUDIO_IN_USE details). */
export function isUsage(v: unknown): v is AudioUsage {
  const u = v as AudioUsage | null
  return (
    !!u &&
    typeof u === 'object' &&
    Array.isArray(u.templates) &&
    Array.isArray(u.dates) &&
    Array.isArray(u.announcements)
  )
}

/** True when nothing of the current or future programme uses the recording. */
export const isUnused = (u: AudioUsage): boolean =>
  u.templates.length === 0 && u.dates.length === 0 && u.announcements.length === 0

/** Where a recording is used, in words: "工作日模板；2026-12-07 的节目单；插播 停水通知（…）". */
export function usageText(u: AudioUsage, t: Translate): string {
  if (isUnused(u)) return t('library.usage.none')
  const sep = t('common.listSep')
  const parts: string[] = []
  if (u.templates.length > 0) {
    parts.push(u.templates.map((d) => t(`library.usage.template.${d}`)).join(sep))
  }
  if (u.dates.length > 0) parts.push(t('library.usage.dates', { dates: u.dates.join(sep) }))
  // A zone's own order plays only in that zone: say which (a town's order, not the district's).
  const zoned = (u.orders ?? []).filter((o) => o.zoneId !== null)
  if (zoned.length > 0) {
    const list = zoned.map((o) => t('library.usage.zoneOrder', o)).join(sep)
    parts.push(t('library.usage.zoneOrders', { list }))
  }
  if (u.announcements.length > 0) {
    const list = u.announcements.map((a) => t('library.usage.one', a)).join(sep)
    parts.push(t('library.usage.announcements', { list }))
  }
  // A user limited to zones is told other zones' uses only as a count.
  if (u.elsewhere) parts.push(t('library.usage.elsewhere', { count: u.elsewhere }))
  return parts.join(t('library.usage.sep'))
}

/**
 * A refused upload or delete in words: where the recording is still used (AUDIO_IN_USE with its
 * details), why a file is not usable audio (AUDIO_INVALID: the decoder's code, a cut-off file,
 * too long), else the frame's wording of the code or the server's message.
 */
export function audioErrorText(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    const d = err.details as Record<string, unknown> | null
    if (err.code === 'AUDIO_IN_USE' && isUsage(d)) {
      return t('library.error.inUse', { where: usageText(d, t) })
    }
    if (err.code === 'AUDIO_INVALID')
      return t('library.error.invalid', { why: invalidWhy(err, d, t) })
  }
  return errorText(err, t)
}

function invalidWhy(err: ApiError, d: Record<string, unknown> | null, t: Translate): string {
  if (/incomplete/i.test(err.message)) return t('library.error.audio.incomplete')
  const long = /(\d+) minutes long; the limit is (\d+)/.exec(err.message)
  if (long) return t('library.error.audio.tooLong', { minutes: long[1], limit: long[2] })
  const sub = typeof d?.code === 'string' ? d.code : ''
  const key = `library.error.audio.${sub}`
  const text = sub ? t(key) : key
  return text === key ? err.message : text
}

/** Filters of the library table, as the page keeps them in its address. */
export interface LibraryFilters {
  q: string
  /** A column id, 'none' (recordings without one), or '' (all). */
  column: string
  /** 'true' (only silent), 'false' (not silent), or '' (all). */
  silent: string
}

/** The query of `GET api/audio` for these filters and page (0-based). */
export function libraryQuery(f: LibraryFilters, page: number, size = PAGE_SIZE): string {
  const p = new URLSearchParams()
  if (f.q.trim()) p.set('q', f.q.trim())
  if (f.column) p.set('column', f.column)
  if (f.silent === 'true' || f.silent === 'false') p.set('silent', f.silent)
  p.set('limit', String(size))
  if (page > 0) p.set('offset', String(page * size))
  return p.toString()
}

/** Filters from a route query (unknown values dropped). */
export function filtersOf(query: Record<string, unknown>): LibraryFilters {
  const s = (v: unknown) => (typeof v === 'string' ? v : '')
  const silent = s(query.silent)
  return {
    q: s(query.q),
    column: s(query.column),
    silent: silent === 'true' || silent === 'false' ? silent : '',
  }
}

/** The filters as a route query: only those set. */
export function queryOf(f: LibraryFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.q.trim()) out.q = f.q.trim()
  if (f.column) out.column = f.column
  if (f.silent) out.silent = f.silent
  return out
}

/** The delivered file of a recording, for `<audio src>` (the session cookie goes along). */
export const fileUrl = (a: Pick<Audio, 'sha256'>): string => `api/audio/files/${a.sha256}`
