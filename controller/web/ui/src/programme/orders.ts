import type {
  Audio,
  Column,
  Day,
  DayVersion,
  EffectiveDay,
  EffectiveItem,
  Issue,
  Item,
  Template,
} from '../../../../../contract/index.js'

// Pure logic of the running-order editor (issue 11): ids, start times, sorting, drag-and-drop
// reordering, merging a date added to its template, counting, the week view's dates and copies,
// and the day timeline's positions. No DOM here (orders.test.ts).

export type { Audio, Column, Day, DayVersion, EffectiveDay, EffectiveItem, Issue, Item, Template }

const DAY_SEC = 86_400
const DAY_MS = 86_400_000

/** Seconds since midnight of "HH:MM:SS". */
export function secondsOf(start: string): number {
  const [h, m, s] = start.split(':').map(Number)
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0)
}

/** "HH:MM:SS" of seconds since midnight (wrapped into the day). */
export function startOf(sec: number): string {
  const v = ((Math.round(sec) % DAY_SEC) + DAY_SEC) % DAY_SEC
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(Math.floor(v / 3600))}:${p(Math.floor((v % 3600) / 60))}:${p(v % 60)}`
}

/** A time as an editor types it ("7:5", "0730", "07:30:00") → "HH:MM:SS", or null. */
export function normaliseTime(text: string): string | null {
  const t = text.trim()
  const m = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/.exec(t) ?? /^(\d{2})(\d{2})(\d{2})?$/.exec(t)
  if (!m) return null
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)]
  if (h > 23 || min > 59 || s > 59) return null
  return startOf(h * 3600 + min * 60 + s)
}

/** By start time, then id: the order the day plays in. */
export function sortItems<T extends Pick<Item, 'start' | 'id'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id))
}

/**
 * An id for a new item at `start`, as the server derives them (`t073000`, then `t073000-2`…),
 * avoiding `taken` (in add mode, the template's ids too).
 */
export function newId(start: string, taken: ReadonlySet<string>): string {
  const base = `t${start.replaceAll(':', '')}`
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}

/**
 * Where a new item goes: half an hour after the last one (or 08:00 in an empty day), on a whole
 * minute, before midnight; an occupied time moves on by a minute.
 */
export function nextStart(items: readonly Pick<Item, 'start'>[]): string {
  const used = new Set(items.map((i) => secondsOf(i.start)))
  let sec = 8 * 3600
  if (items.length > 0) {
    const last = Math.max(...items.map((i) => secondsOf(i.start)))
    sec = Math.min(last + 1800, DAY_SEC - 60)
    sec -= sec % 60
  }
  while (used.has(sec) && sec < DAY_SEC - 60) sec += 60
  return startOf(sec)
}

/**
 * Drag-and-drop in the played order: the segment at `from` goes to place `to`. Start times stay
 * where they are (the slots of the day); the segments move between them. A relay (转播) keeps
 * its slot (its end belongs to its start): the others move around it, and a relay itself does
 * not move. Returns a new list, sorted by time.
 */
export function reorder(items: readonly Item[], from: number, to: number): Item[] {
  const sorted = sortItems(items)
  const moving = sorted[from]
  if (from === to || !moving || moving.relay || to < 0 || to >= sorted.length) return sorted
  // Where it lands among the movable segments: those before `to` once it is taken out.
  const rest = sorted.filter((_, n) => n !== from)
  const place = rest.slice(0, to).filter((i) => !i.relay).length
  const movable = rest.filter((i) => !i.relay)
  movable.splice(place, 0, moving)
  const starts = sorted.filter((i) => !i.relay).map((i) => i.start)
  const moved = movable.map((i, n) => ({ ...i, start: starts[n] as string }))
  return sortItems([...moved, ...sorted.filter((i) => i.relay)])
}

/** A row of the editor: the item, and whether it comes from the template (add mode). */
export interface Row {
  item: Item
  origin: 'template' | 'date'
}

/**
 * What a date in add mode plays: its template, a date item of the same id replacing that
 * template item, plus the date's other items, in played order.
 */
export function mergeAdd(template: readonly Item[], own: readonly Item[]): Row[] {
  const byId = new Map(own.map((i) => [i.id, i]))
  const rows: Row[] = template.map((t) => {
    const o = byId.get(t.id)
    return o ? { item: o, origin: 'date' } : { item: t, origin: 'template' }
  })
  const templateIds = new Set(template.map((t) => t.id))
  for (const o of own) if (!templateIds.has(o.id)) rows.push({ item: o, origin: 'date' })
  return rows.sort(
    (a, b) => a.item.start.localeCompare(b.item.start) || a.item.id.localeCompare(b.item.id),
  )
}

/** Segments (items with audio, and relays) and empty slots of a running order. */
export function countSegments(items: readonly Pick<Item, 'audioId' | 'relay'>[]): {
  segments: number
  empty: number
} {
  const segments = items.filter((i) => i.audioId !== null || Boolean(i.relay)).length
  return { segments, empty: items.length - segments }
}

/** An item as sent to the API: optional fields left out when unset. */
export function toInput(item: Item): Item {
  const out: Item = { id: item.id, start: item.start, audioId: item.audioId, title: item.title }
  if (item.columnId) out.columnId = item.columnId
  if (item.zones && item.zones.length > 0) out.zones = [...item.zones]
  if (item.priority !== undefined && item.priority !== null) out.priority = item.priority
  if (item.relay) out.relay = { url: item.relay.url, end: item.relay.end }
  return out
}

/** `date` moved by `days` (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/** The seven dates of the week (Monday first) holding `date`. */
export function weekOf(date: string): string[] {
  const lead = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7
  const monday = addDays(date, -lead)
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i))
}

/**
 * The copy pairs of POST /api/days/copy for a week (or a day) dropped onto another: each source
 * date onto the date the same number of days after `to`. Copying onto itself is nothing.
 */
export function copyPairs(from: readonly string[], to: string): { from: string; to: string }[] {
  const first = from[0]
  if (!first) return []
  const shift = Math.round(
    (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS,
  )
  if (shift === 0) return []
  return from.map((d) => ({ from: d, to: addDays(d, shift) }))
}

/** A mark on the day's 24-hour timeline: where it starts and how wide it is (percent). */
export interface TimelineMark {
  id: string
  left: number
  width: number
  title: string
  empty: boolean
  /** A relay (转播) slot: from its start to its end, drawn as its own kind. */
  relay: boolean
}

/**
 * The day timeline: each item at its start on a 24-hour axis, as wide as its audio lasts (a
 * relay: until its end; at least a sliver, so a short segment stays visible), never past
 * midnight.
 */
export function timelineMarks(
  items: readonly Pick<Item, 'id' | 'start' | 'audioId' | 'title' | 'relay'>[],
  durationMs: (audioId: string) => number | undefined,
): TimelineMark[] {
  return sortItems(items).map((i) => {
    const left = (secondsOf(i.start) / DAY_SEC) * 100
    const sec = i.relay
      ? Math.max(0, secondsOf(i.relay.end) - secondsOf(i.start))
      : i.audioId
        ? (durationMs(i.audioId) ?? 0) / 1000
        : 0
    const width = Math.min(Math.max((sec / DAY_SEC) * 100, 0.35), 100 - left)
    const relay = Boolean(i.relay)
    return { id: i.id, left, width, title: i.title, empty: i.audioId === null && !relay, relay }
  })
}

/**
 * The version an undo restores after a deletion: the newest saved version that is not itself a
 * removal, older than `deleted` (null when there is none).
 */
export function versionBefore(versions: readonly DayVersion[], deleted: number): number | null {
  const before = versions
    .filter((v) => v.version < deleted && !v.deleted)
    .sort((a, b) => b.version - a.version)[0]
  return before?.version ?? null
}

/** The query of a days route for a zone ('' : the district). */
export const zoneQuery = (zone: string): string =>
  zone === '' ? '' : `?zone=${encodeURIComponent(zone)}`

/** What the editor edits: a date's order of a zone ('' the district), or a template. */
export type Target =
  | { kind: 'date'; date: string; zone: string }
  | { kind: 'template'; dayType: 'working' | 'rest' }

/** The API path of a target's order. */
export function targetPath(t: Target): string {
  return t.kind === 'template'
    ? `api/templates/${t.dayType}`
    : `api/days/${t.date}${zoneQuery(t.zone)}`
}

/** The zones a user may pick: every zone and the district, or (limited) their zones' subtrees. */
export function scopeTree<N extends { value: string; children: N[] }>(
  tree: readonly N[],
  scope: readonly string[],
): N[] {
  if (scope.length === 0) return [...tree]
  const out: N[] = []
  const walk = (nodes: readonly N[]) => {
    for (const n of nodes) {
      if (scope.includes(n.value)) out.push(n)
      else walk(n.children)
    }
  }
  walk(tree)
  return out
}
