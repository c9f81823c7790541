import {
  type Announcement,
  type Lang,
  labelOf,
  PLAY_OUTCOME_LABELS,
  PLAY_REASON_LABELS,
} from '../../../../../contract/index.js'
import type { ZoneNode } from '../composables/useZones'

// Pure helpers of the announcements page (插播): which zones a user may target, what each
// node's delivery says, who is still pending, whether the user may withdraw one, and the
// instant of a date and time typed in the district's time zone.

export type { Announcement }
/** One targeted node of an announcement. */
export type AnnouncementNode = Announcement['nodes'][number]

/** Pending nodes named in the summary line before "…". */
export const PENDING_NAMED = 30

/**
 * The part of the zone tree a user may announce into: all of it for a user not limited to
 * zones; else each of the user's zones with everything below it (their ancestors are not
 * offered). A zone of the user's that sits below another of theirs appears once.
 */
export function scopeTree(tree: readonly ZoneNode[], userZones: readonly string[]): ZoneNode[] {
  if (userZones.length === 0) return [...tree]
  const wanted = new Set(userZones)
  const out: ZoneNode[] = []
  const walk = (nodes: readonly ZoneNode[]) => {
    for (const n of nodes) {
      if (wanted.has(n.value)) out.push(n)
      else walk(n.children)
    }
  }
  walk(tree)
  return out
}

/** Every zone id of these trees (to check a choice against what was offered). */
export function idsOf(tree: readonly ZoneNode[]): Set<string> {
  const ids = new Set<string>()
  const walk = (nodes: readonly ZoneNode[]) => {
    for (const n of nodes) {
      ids.add(n.value)
      walk(n.children)
    }
  }
  walk(tree)
  return ids
}

/**
 * Whether a user may withdraw the announcement: one not limited to zones always; one limited
 * to zones only when it targets zones and every one of them lies in their scope (`inScope`:
 * the ids of `scopeTree`), as the server decides.
 */
export function mayCancel(
  a: Pick<Announcement, 'zones'>,
  userZones: readonly string[],
  inScope: ReadonlySet<string>,
): boolean {
  if (userZones.length === 0) return true
  return a.zones.length > 0 && a.zones.every((z) => inScope.has(z))
}

/** Whether the announcement can still be withdrawn (not withdrawn, not long over). */
export function isOpen(a: Pick<Announcement, 'status' | 'latestStartAt'>, now: number): boolean {
  return a.status !== 'cancelled' && Date.parse(a.latestStartAt) + 60_000 >= now
}

/** A node's delivery: acknowledged, pending, or failed to play (failed or silent). */
export function deliveryOf(n: AnnouncementNode): 'acknowledged' | 'pending' | 'failed' {
  if (n.play && (n.play.status === 'failed' || n.play.status === 'silent')) return 'failed'
  return n.delivery
}

/** "已播" / "失败 · 下载失败" / null for a node's play of the announcement. */
export function playText(n: AnnouncementNode, lang: Lang): string | null {
  if (!n.play) return null
  const word = labelOf(PLAY_OUTCOME_LABELS, n.play.status, lang)
  return n.play.reason ? `${word} · ${labelOf(PLAY_REASON_LABELS, n.play.reason, lang)}` : word
}

/** The nodes still to acknowledge, online ones first, and the first names to show. */
export function pendingOf(
  a: Pick<Announcement, 'nodes'>,
  offlineMark: string,
): { count: number; names: string[]; more: boolean } {
  const waiting = a.nodes
    .filter((n) => n.delivery === 'pending')
    .sort((x, y) => Number(y.online) - Number(x.online))
  return {
    count: waiting.length,
    names: waiting
      .slice(0, PENDING_NAMED)
      .map((n) => (n.online ? n.name : `${n.name}${offlineMark}`)),
    more: waiting.length > PENDING_NAMED,
  }
}

/** Share acknowledged, 0–100 (0 when nothing is targeted). */
export const ackPercent = (c: Announcement['counts']): number =>
  c.targeted > 0 ? Math.round((c.acknowledged / c.targeted) * 100) : 0

/** Newest first (by the instant it plays). */
export const byNewest = (x: Announcement, y: Announcement): number =>
  x.at < y.at ? 1 : x.at > y.at ? -1 : 0

/** "7:30", "0730", "19:30:15" → "07:30:00"/"19:30:15", or null when not a time of day. */
export function normaliseTime(text: string): string | null {
  const m = /^\s*(\d{1,2})(?::?(\d{2}))(?::(\d{2}))?\s*$/.exec(text)
  if (!m) return null
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)]
  if (h > 23 || mi > 59 || s > 59) return null
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(h)}:${p(mi)}:${p(s)}`
}

/** Offset of `tz` from UTC at `ms`, in milliseconds (Asia/Shanghai: +8 h). */
function offsetAt(ms: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms))
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'))
  return wall - Math.floor(ms / 1000) * 1000
}

/** The instant of a wall-clock date (`YYYY-MM-DD`) and time (`HH:MM[:SS]`) in `tz`, as ISO. */
export function localInstant(date: string, time: string, tz: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const clock = normaliseTime(time)
  if (!d || !clock) return null
  const [h, mi, s] = clock.split(':').map(Number) as [number, number, number]
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), h, mi, s)
  // No 13th month, no 31 April: the date must be itself once made.
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 10) !== date) return null
  // The offset at the guess, then again at the result (a change of offset between the two).
  let ms = wall - offsetAt(wall, tz)
  ms = wall - offsetAt(ms, tz)
  return new Date(ms).toISOString()
}

/** Today's date (`YYYY-MM-DD`) in `tz`. */
export function todayIn(tz: string, now: number): string {
  return new Date(now).toLocaleDateString('sv-SE', { timeZone: tz })
}

/** "2026-12-06 14:30" for an instant, in `tz`. */
export function wallTime(iso: string, tz: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString('sv-SE', { timeZone: tz }).slice(0, 16)
}
