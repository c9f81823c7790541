import { itemClock } from '../format.js'
import type { DayItem, Play } from '../types.js'

/** Play outcomes the page distinguishes. */
export type Outcome = 'started' | 'finished' | 'failed' | 'missed' | 'madeGood' | 'other'

/**
 * `play.finished` → `finished`, and so on. A make-good (补播) is never an on-time start or finish:
 * its finish is `madeGood`, its other events `other`.
 */
export function outcomeOf(p: Play): Outcome {
  if (p.makeGood === true) return p.type === 'play.finished' ? 'madeGood' : 'other'
  switch (p.type) {
    case 'play.missed':
      return 'missed'
    case 'play.started':
      return 'started'
    case 'play.finished':
      return 'finished'
    case 'play.failed':
      return 'failed'
    default:
      return 'other'
  }
}

/** The local date an event belongs to: the stream's `date`, else the item id's prefix. */
export function playDate(p: Play): string | null {
  if (p.date) return p.date
  return p.itemId && /^\d{4}-\d{2}-\d{2}\//.test(p.itemId) ? p.itemId.slice(0, 10) : null
}

/** Newest first, then by event id so equal instants keep a stable order. */
export function comparePlays(a: Play, b: Play): number {
  const d = Date.parse(b.at) - Date.parse(a.at)
  if (d !== 0 && !Number.isNaN(d)) return d
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0
}

/** The day's events, newest first, without duplicates (the stream may repeat what GET gave). */
export function createPlayLog() {
  let plays: Play[] = []
  const ids = new Set<string>()
  return {
    get all(): readonly Play[] {
      return plays
    },
    reset(list: readonly Play[]): void {
      ids.clear()
      plays = list.filter((p) => !ids.has(p.eventId) && ids.add(p.eventId)).sort(comparePlays)
    },
    /** Adds new events; returns how many were new. */
    add(list: readonly Play[]): number {
      const fresh = list.filter((p) => !ids.has(p.eventId) && ids.add(p.eventId))
      if (fresh.length === 0) return 0
      plays = plays.concat(fresh).sort(comparePlays)
      return fresh.length
    },
  }
}

/** One line of the per-item summary. */
export interface ItemSummary {
  itemId: string
  title: string | null
  clock: string | null
  started: number
  finished: number
  failed: number
  reasons: Map<string, number>
}

/** Counts per item of the day, including scheduled items nothing was reported for yet. */
export function summarise(
  plays: readonly Play[],
  date: string,
  items: readonly DayItem[],
): ItemSummary[] {
  const byId = new Map<string, ItemSummary>()
  const entry = (itemId: string): ItemSummary => {
    let s = byId.get(itemId)
    if (!s) {
      s = {
        itemId,
        title: null,
        clock: itemClock(itemId),
        started: 0,
        finished: 0,
        failed: 0,
        reasons: new Map(),
      }
      byId.set(itemId, s)
    }
    return s
  }
  for (const item of items) {
    const s = entry(`${date}/${item.id}`)
    s.title = item.title || null
    s.clock = item.start.slice(0, 5)
  }
  for (const p of plays) {
    if (!p.itemId) continue
    const s = entry(p.itemId)
    const o = outcomeOf(p)
    if (o === 'started') s.started++
    else if (o === 'finished') s.finished++
    else if (o === 'failed') {
      s.failed++
      const r = p.reason ?? 'unknown'
      s.reasons.set(r, (s.reasons.get(r) ?? 0) + 1)
    }
  }
  return [...byId.values()].sort(
    (a, b) => (a.clock ?? '').localeCompare(b.clock ?? '') || a.itemId.localeCompare(b.itemId),
  )
}
