/**
 * @module validate-day
 * Checks one day's running order the way an editor needs before publishing: duplicate ids,
 * missing audio, quiet hours, segments running past midnight, overlaps and the segment count.
 * Messages are plain English; the web UI translates by `code` using `params`.
 */
import { relayDurationMs } from './relay.js'
import type { RunningOrderItem } from './running-order.js'
import { DAY_MS } from './zoned-time.js'

/** Stable issue codes; never reuse or rename one (STYLE rule 17). */
export type IssueCode =
  | 'OVERLAP'
  | 'QUIET_HOURS'
  | 'MISSING_AUDIO'
  | 'COUNT_MISMATCH'
  | 'PAST_MIDNIGHT'
  | 'DUPLICATE_ID'

/** One finding about a day's running order. */
export interface Issue {
  /** What is wrong, for translation and filtering. */
  code: IssueCode
  /** 'error' should block publishing; 'warning' is advice. */
  severity: 'error' | 'warning'
  /** The item concerned, when there is one. */
  itemId?: string
  /** A plain English sentence for an editor. */
  message: string
  /** Values the message mentions, for translated messages. */
  params?: Record<string, string | number>
}

/** A daily quiet window, local 'HH:MM'; start after end means it spans midnight. */
export interface QuietHours {
  /** When speakers must fall silent, e.g. '22:00'. */
  start: string
  /** When they may play again, e.g. '06:30'. */
  end: string
}

/** Options of `validateDay`. */
export interface ValidateDayOptions {
  /** Quiet window; default 22:00–06:30. Equal start and end means no quiet hours. */
  quietHours?: QuietHours
  /** Expected number of segments (e.g. DEFAULT_SEGMENTS[type]); a different count warns. */
  targetCount?: number
  /** Zone id → parent zone id; lets items aimed at a town and one of its villages overlap. */
  zoneParents?: ReadonlyMap<string, string | null>
}

/** Quiet hours used when none are given: 22:00 to 06:30 the next morning. */
export const DEFAULT_QUIET_HOURS: Readonly<QuietHours> = Object.freeze({
  start: '22:00',
  end: '06:30',
})

const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/
const HHMMSS_RE = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/

function msOfDay(time: string, re: RegExp): number {
  const m = re.exec(time)
  if (!m) throw new RangeError(`invalid time of day '${time}'`)
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000) % 86_400
  const parts = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60]
  return parts.map((n) => String(n).padStart(2, '0')).join(':')
}

/** Quiet windows as [from, to) in ms from 00:00 of the day; later items may reach tomorrow. */
function quietWindows(q: QuietHours): [number, number][] {
  const start = msOfDay(q.start, HHMM_RE)
  const end = msOfDay(q.end, HHMM_RE)
  if (start === end) return []
  const to = end > start ? end : end + DAY_MS // a window past midnight ends the next morning
  // Yesterday's, today's and tomorrow's windows cover the whole timeline.
  return [-DAY_MS, 0, DAY_MS].map((shift) => [start + shift, to + shift])
}

/** The zone and its ancestors; the walk stops at a root or at a cycle. */
function lineage(zone: string, parents: ReadonlyMap<string, string | null>): Set<string> {
  const seen = new Set<string>()
  for (let z: string | null | undefined = zone; z != null && !seen.has(z); z = parents.get(z)) {
    seen.add(z)
  }
  return seen
}

/** True when two target lists can reach one speaker (empty = everywhere). */
function shareZone(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
  parents: ReadonlyMap<string, string | null>,
): boolean {
  if (!a?.length || !b?.length) return true
  return a.some((za) =>
    b.some((zb) => lineage(za, parents).has(zb) || lineage(zb, parents).has(za)),
  )
}

interface Slot {
  item: RunningOrderItem
  from: number
  to: number
}

/**
 * All issues of one day's running order, ordered by kind and then by start time. Audio unknown
 * to `audio` counts as zero length. The count compares every item, empty slots included.
 * Throws RangeError for a start or quiet-hours bound that is not a valid time of day.
 */
export function validateDay(
  items: readonly RunningOrderItem[],
  audio: ReadonlyMap<string, { durationMs: number }>,
  opts: ValidateDayOptions = {},
): Issue[] {
  const issues: Issue[] = []
  const quiet = quietWindows(opts.quietHours ?? DEFAULT_QUIET_HOURS)
  const parents = opts.zoneParents ?? new Map<string, string | null>()

  const seen = new Set<string>()
  for (const { id, start } of items) {
    if (seen.has(id)) {
      const message = `The segment at ${start} has the same id as another segment; give it its own.`
      const params = { id, start }
      issues.push({ code: 'DUPLICATE_ID', severity: 'error', itemId: id, message, params })
    }
    seen.add(id)
  }

  const slots: Slot[] = items
    .map((item) => {
      const from = msOfDay(item.start, HHMMSS_RE)
      // A relay (转播) slot lasts from its start to its end; an invalid one counts as empty.
      const durationMs = item.relay
        ? Math.max(0, relayDurationMs({ start: item.start, relay: item.relay }))
        : item.audioId === null
          ? 0
          : (audio.get(item.audioId)?.durationMs ?? 0)
      return { item, from, to: from + durationMs }
    })
    .sort((a, b) => a.from - b.from)

  for (const { item, from, to } of slots) {
    const base = { itemId: item.id }
    const start = item.start
    // A relay slot has no audio by design (relayItemProblems checks the rest).
    if (item.audioId === null && !item.relay) {
      const message = `The segment at ${start} has no audio yet, so it will not play.`
      const params = { start }
      issues.push({ code: 'MISSING_AUDIO', severity: 'warning', ...base, message, params })
    } else if (item.audioId !== null && !audio.has(item.audioId)) {
      const message = `The audio of the segment at ${start} is not in the library.`
      const params = { start, audioId: item.audioId }
      issues.push({ code: 'MISSING_AUDIO', severity: 'error', ...base, message, params })
    }
    // A segment of unknown length still counts as playing at its start instant.
    const end = Math.max(to, from + 1)
    if (quiet.some(([qFrom, qTo]) => from < qTo && qFrom < end)) {
      const message = `The segment at ${start} plays during quiet hours.`
      issues.push({ code: 'QUIET_HOURS', severity: 'error', ...base, message, params: { start } })
    }
    if (to > DAY_MS) {
      const message = `The segment at ${start} runs past midnight, until ${clock(to)}.`
      const params = { start, end: clock(to) }
      issues.push({ code: 'PAST_MIDNIGHT', severity: 'error', ...base, message, params })
    }
  }

  // Segments of unknown length do not play, so they cannot overlap anything.
  const playing = slots.filter((s) => s.to > s.from)
  playing.forEach((a, i) => {
    for (const b of playing.slice(i + 1)) {
      if (b.from >= a.to) break // sorted by start: no later slot can overlap `a`
      if (!shareZone(a.item.zones, b.item.zones, parents)) continue
      const message =
        `The segment at ${a.item.start} is still playing when the one at ${b.item.start} ` +
        'starts in the same area.'
      const params = {
        start: b.item.start,
        otherItemId: a.item.id,
        otherStart: a.item.start,
        overlapMs: Math.min(a.to, b.to) - b.from,
      }
      issues.push({ code: 'OVERLAP', severity: 'error', itemId: b.item.id, message, params })
    }
  })

  const target = opts.targetCount
  if (target !== undefined && items.length !== target) {
    const message = `This day has ${items.length} segments; ${target} are expected.`
    const params = { count: items.length, targetCount: target }
    issues.push({ code: 'COUNT_MISMATCH', severity: 'warning', message, params })
  }
  return issues
}
