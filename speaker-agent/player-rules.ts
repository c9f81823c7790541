/**
 * @module player-rules
 * The decisions of the player that need no state: when a waiting item is too late, when a
 * segment may still resume in progress, and in what order waiting items start. The order is the
 * product's priority order (emergency > urgent announcement > scheduled segment, as priorities
 * carried by the plan; live voice 90 and live relay 70 between them), then the earliest instant,
 * so equal priorities take turns.
 */
import type { Prepared } from '../audio/index.js'
import type { PlanItem } from '../protocol/index.js'

/** A live stream made ready: decoder fed, first PCM held; `startAt` is its media's instant. */
export type LivePreparation =
  | { ok: true; prepared: Prepared; startAt: number; offsetMs: number }
  | { ok: false; stage: 'download' | 'prepare'; err: unknown }

/** Joins a live session's stream where it is now (`live.ts`). */
export type LivePrepare = () => Promise<LivePreparation>

/** A segment resumes in progress only when at least this much of its slot remains. */
export const MIN_RESUME_MS = 2000

/** A plan item that fell due, waiting to start. */
export interface Due {
  item: PlanItem
  /** The item's instant, epoch ms. */
  startMs: number
  /** Resume in progress: start at `now - startMs` into the audio rather than at its start. */
  join?: boolean
  /** It was sounding when an announcement cut it (already reported `play.interrupted`). */
  cut?: boolean
  /** A live session's item: how to join its stream (never a file from the cache). */
  live?: LivePrepare
}

/** True for an announcement (插播); everything else is a scheduled segment. */
export function isAnnouncement(item: PlanItem): boolean {
  return item.kind === 'announcement'
}

/** A live session's item (`live:<sessionId>`, issue 13). */
export function isLive(item: PlanItem): boolean {
  return item.itemId.startsWith('live:')
}

/**
 * Items that hold the programme: a segment they cut or hold up resumes in progress afterwards
 * (announcements and live sessions alike).
 */
export function holdsProgramme(item: PlanItem): boolean {
  return isAnnouncement(item) || isLive(item)
}

/** End of the item's slot in the programme (instant + duration), epoch ms. */
export function slotEndOf(due: Due): number {
  return due.startMs + due.item.durationMs
}

/**
 * The last instant at which a waiting item may still start: an announcement's `latestStartAt`
 * (played whole, late), a resuming segment's slot end less MIN_RESUME_MS, and otherwise its
 * instant plus the late tolerance.
 */
export function deadlineOf(due: Due, lateToleranceMs: number): number {
  if (due.join) return slotEndOf(due) - MIN_RESUME_MS
  const latest = due.item.latestStartAt ? Date.parse(due.item.latestStartAt) : Number.NaN
  const tolerated = due.startMs + lateToleranceMs
  return Number.isFinite(latest) ? Math.max(latest, tolerated) : tolerated
}

/** Start order of waiting items: higher priority first, then the earlier instant. */
export function compareDue(a: Due, b: Due): number {
  return b.item.priority - a.item.priority || a.startMs - b.startMs
}

/** Why a sounding item was cut, as the `play.interrupted` event says it. */
export function interruptReason(why: string): 'preempted' | 'stopped' | 'cancelled' | 'shutdown' {
  if (why === 'preempted') return 'preempted'
  if (why === 'cancelled') return 'cancelled'
  if (why === 'agent stopping') return 'shutdown'
  return 'stopped'
}
