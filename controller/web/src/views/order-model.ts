import type { OrderItem } from '../programme-types.js'

// The running-order editor's pure logic: ids, sorting, adding, moving, merging a date's own
// items with its template. No DOM here (unit-tested in test/browser/programme-logic.test.ts).

const DAY_SEC = 86_400

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

/** By start time, then id: the order the day plays in. */
export function sortItems<T extends OrderItem>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id))
}

/**
 * An id for a new item at `start`, as the server derives them (`t073000`, then `t073000-2`…),
 * avoiding `taken` (in add mode, the template's ids too: a date item with a template item's id
 * overrides it).
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
export function nextStart(items: readonly OrderItem[]): string {
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
 * Moves the item `id` one place earlier (-1) or later (+1) in the played order by swapping its
 * content with its neighbour's: the times stay where they are, the segments change places.
 * Returns the same list when there is no neighbour.
 */
export function moveItem(items: readonly OrderItem[], id: string, dir: -1 | 1): OrderItem[] {
  const sorted = sortItems(items)
  const i = sorted.findIndex((x) => x.id === id)
  const j = i + dir
  const a = sorted[i]
  const b = sorted[j]
  if (!a || !b) return [...items]
  return sortItems(
    sorted.map((x) => {
      if (x === a) return { ...a, start: b.start }
      if (x === b) return { ...b, start: a.start }
      return x
    }),
  )
}

/** A row of the editor: the item, and whether it comes from the template (add mode). */
export interface Row {
  item: OrderItem
  origin: 'template' | 'date'
}

/**
 * What a date in add mode plays: its template, with a date item of the same id replacing that
 * template item, plus the date's other items, in played order (docs/api.md "Date running
 * orders"). In replace mode a date plays only its own items.
 */
export function mergeAdd(template: readonly OrderItem[], own: readonly OrderItem[]): Row[] {
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

/** Segments (items with audio) and empty slots of a running order. */
export function countSegments(items: readonly Pick<OrderItem, 'audioId'>[]): {
  segments: number
  empty: number
} {
  const segments = items.filter((i) => i.audioId !== null).length
  return { segments, empty: items.length - segments }
}

/** An item as sent to the API: optional fields left out when unset. */
export function toInput(item: OrderItem): OrderItem {
  const out: OrderItem = {
    id: item.id,
    start: item.start,
    audioId: item.audioId,
    title: item.title,
  }
  if (item.columnId) out.columnId = item.columnId
  if (item.zones && item.zones.length > 0) out.zones = [...item.zones]
  if (item.priority !== undefined && item.priority !== null) out.priority = item.priority
  return out
}
