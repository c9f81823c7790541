/**
 * @module make-good
 * The agent's make-good decisions (补播), pure: which segments of the plan this node missed (and
 * why), and where a missed segment is played again. A make-good goes in the first gap from now
 * that holds the whole segment, with MAKE_GOOD_MARGIN_MS free on both sides, before the next
 * item, ending by the item's `makeGoodUntil` (which the controller already clipped to the
 * column's window and the next quiet hours). It never displaces an item: it is planned only where
 * nothing else is, and plays at the lowest priority, so anything due preempts it.
 */
import type { MissReason, PlanItem } from '../protocol/index.js'

/** Free time kept before and after a make-good, so it neither starts nor ends against an item. */
export const MAKE_GOOD_MARGIN_MS = 2000

/** Misses are reported for segments whose instant is at most this old (a stored plan may be). */
export const MISS_LOOKBACK_MS = 86_400_000

/** Marks a make-good's player item id, `<itemId>#make-good<attempt>`; events carry `<itemId>`. */
export const MAKE_GOOD_MARK = '#make-good'

/** A segment found missed, and why. */
export interface Miss {
  item: PlanItem
  reason: MissReason
}

const startOf = (i: PlanItem) => Date.parse(i.startAt)
const endOf = (i: PlanItem) => startOf(i) + i.durationMs
const isSegment = (i: PlanItem) => i.kind !== 'announcement'

/** What findMisses needs to know. */
export interface MissInput {
  now: number
  items: readonly PlanItem[]
  /** When this agent process started: a segment due before it was missed because it was `down`. */
  agentStartedAt: number
  lateToleranceMs: number
  /** Played to its end (by this or an earlier run). */
  played: (itemId: string) => boolean
  /** A miss already reported (by this or an earlier run). */
  reported: (itemId: string) => boolean
  /** What this run saw go wrong with an item (from its play events), if anything. */
  seen: (itemId: string) => MissReason | undefined
  /** Item id the player is playing now, or null. */
  playing: string | null
}

/**
 * Segments whose slot (instant + duration + late tolerance) is over, within MISS_LOOKBACK_MS,
 * neither played nor already reported, and not playing now. The reason is `down` when the
 * instant came before this process started, else what this run saw, else `late`.
 */
export function findMisses(input: MissInput): Miss[] {
  const out: Miss[] = []
  for (const item of input.items) {
    if (!isSegment(item)) continue
    const start = startOf(item)
    if (endOf(item) + input.lateToleranceMs >= input.now) continue
    if (start < input.now - MISS_LOOKBACK_MS) continue
    const id = item.itemId
    if (input.played(id) || input.reported(id) || input.playing === id) continue
    const reason = start < input.agentStartedAt ? 'down' : (input.seen(id) ?? 'late')
    out.push({ item, reason })
  }
  return out
}

/** The instant (epoch ms) just after the next unsettled segment's slot is over, for a re-check. */
export function nextSlotEnd(
  items: readonly PlanItem[],
  now: number,
  lateToleranceMs: number,
  done: (itemId: string) => boolean,
): number | null {
  let next: number | null = null
  for (const item of items) {
    if (!isSegment(item) || done(item.itemId)) continue
    const at = endOf(item) + lateToleranceMs + 1
    if (at > now && (next === null || at < next)) next = at
  }
  return next
}

/** What chooseMakeGoods needs to know. */
export interface MakeGoodInput {
  now: number
  /** The plan's items (without make-goods). */
  items: readonly PlanItem[]
  /** Missed segments still owed a make-good (played ones and those without a window left out). */
  owed: readonly PlanItem[]
  /** Make-goods already placed that must stay (their start passed): item id → start, epoch ms. */
  fixed: ReadonlyMap<string, number>
  /** The speaker is busy until then (a playback going on), epoch ms. */
  busyUntil: number
}

/**
 * Where each owed segment is made good: item id → start (epoch ms), oldest segment first, each
 * in the first gap from `now` that holds it whole with the margins and ends by its
 * `makeGoodUntil`. A segment with no such gap gets none (it is tried again at the next check).
 */
export function chooseMakeGoods(input: MakeGoodInput): Map<string, number> {
  const m = MAKE_GOOD_MARGIN_MS
  const byId = new Map(input.items.map((i) => [i.itemId, i]))
  const busy: [number, number][] = [[input.now, input.busyUntil]]
  for (const i of input.items) if (endOf(i) > input.now) busy.push([startOf(i), endOf(i)])
  for (const [id, start] of input.fixed) {
    const item = byId.get(id)
    if (item) busy.push([start, start + item.durationMs])
  }
  const out = new Map<string, number>()
  const owed = [...input.owed].sort((a, b) => startOf(a) - startOf(b))
  for (const item of owed) {
    if (input.fixed.has(item.itemId) || item.makeGoodUntil === undefined) continue
    const until = Date.parse(item.makeGoodUntil)
    busy.sort((a, b) => a[0] - b[0])
    let t = input.now + m
    for (const [from, to] of busy) {
      if (to + m <= t) continue
      if (from - m >= t + item.durationMs) break
      t = Math.max(t, to + m)
    }
    if (t + item.durationMs > until) continue
    out.set(item.itemId, t)
    busy.push([t, t + item.durationMs])
  }
  return out
}

/** The player's item for attempt `attempt` of a make-good of `item` at `startMs`: lowest priority. */
export function makeGoodItem(item: PlanItem, startMs: number, attempt = 1): PlanItem {
  const { makeGoodUntil: _until, latestStartAt: _latest, kind: _kind, ...rest } = item
  return {
    ...rest,
    itemId: `${item.itemId}${MAKE_GOOD_MARK}${attempt}`,
    startAt: new Date(startMs).toISOString(),
    priority: 0,
  }
}

/** The original item id of a make-good's player id, or null for any other id. */
export function makeGoodOrigin(itemId: string): string | null {
  const at = itemId.lastIndexOf(MAKE_GOOD_MARK)
  return at > 0 && /^\d+$/.test(itemId.slice(at + MAKE_GOOD_MARK.length))
    ? itemId.slice(0, at)
    : null
}

/** The miss reason a play event of this run implies for its segment, if any. */
export function missReasonOf(
  event: { type: string; reason?: string },
  connected: boolean,
): MissReason | undefined {
  if (event.type === 'play.interrupted') return 'interrupted'
  if (event.type !== 'play.failed') return undefined
  switch (event.reason) {
    case 'interrupted':
      return 'interrupted'
    case 'download':
    case 'checksum':
    case 'missing':
    case 'decode':
      return connected ? 'no-audio' : 'offline'
    default:
      return 'late'
  }
}
