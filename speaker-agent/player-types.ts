/**
 * @module player-types
 * The player's contract (`player.ts`): what it needs and what it offers the agent.
 */
import type { Logger } from 'pino'
import type { PlayResult, Sink } from '../audio/index.js'
import type { PlanItem, PlanMessage } from '../protocol/index.js'
import type { AudioCache } from './audio-cache.js'
import type { Clock } from './clock.js'
import type { ReportEvent } from './events.js'
import type { PlayedLog } from './played-log.js'
import type { LivePrepare } from './player-rules.js'

/** Dependencies of createPlayer. */
export interface PlayerDeps {
  clock: Clock
  sink: Pick<Sink, 'play' | 'prepare'>
  cache: Pick<AudioCache, 'ensure'>
  report: ReportEvent
  log: Logger
  /** An item that cannot start within this many ms of its instant is reported `late`. */
  lateToleranceMs: number
  /** Current output volume 0..100, read when each playback starts. */
  getVolume: () => number
  /** Announcements already played to their end (across restarts); they are not played again. */
  played?: Pick<PlayedLog, 'has' | 'add'>
  /** How long before its instant an item is prepared; default PREROLL_MS (2 s). */
  prerollMs?: number
}

/**
 * A free speaker takes up the next item this long before its instant, so that the sink only has
 * to release the first sample at the instant (it waits for it precisely).
 */
export const RELEASE_LEAD_MS = 500

/** Plays plan items at their instants through a sink, one at a time. */
export interface Player {
  /** Replaces the plan: cancels the old timers and arms one per coming item. */
  setPlan(plan: PlanMessage): void
  /** Id of the item playing now (`adhoc:<name>` for a test tone), or null. */
  playing(): string | null
  /** Items that already have an outcome (a play cut by the process dying): never armed. */
  skip(itemIds: Iterable<string>): void
  /** Aborts the running playback (reported `play.interrupted`); returns what was stopped. */
  stopPlayback(): string | null
  /** Plays a file that is not in the plan (a test tone) when nothing else plays. */
  playAdhoc(file: string, name: string): Promise<PlayResult>
  /**
   * Plays a live session's item (`live:<sessionId>`, instant `playAt`) at its priority, like a
   * plan item but joining a stream (`prepare`) instead of a cached file; kept across new plans.
   */
  startLive(item: PlanItem, prepare: LivePrepare): void
  /** The session ended: a waiting live item is dropped; a sounding one is stopped after `graceMs`. */
  stopLive(itemId: string, graceMs: number): void
  /** Aborts playback, clears every timer and waits for the running item to settle. */
  stop(): Promise<void>
}
