/** What became of one scheduled item on one node, as proof-of-play reports show it. */
export type PlayStatus =
  | 'played'
  | 'silent'
  | 'interrupted'
  | 'failed'
  | 'playing'
  | 'missed'
  | 'pending'

/** The outcome of one item on one node. */
export interface Outcome {
  status: PlayStatus
  /** Failure reason (`late`, `download`…), interruption reason (`preempted`…), or why missed. */
  reason: string | null
  /** Time it sounded, all parts together (a segment resumed after an announcement has two). */
  playedMs: number
  /** Measured level of the last part played, dBFS. */
  rmsDb: number | null
  startedAt: string | null
  /** It was cut by an announcement at least once (and may have resumed). */
  interrupted: boolean
  drill: boolean
}

/** A stored play event of one node and item, oldest first. */
export interface PlayEventLike {
  type: string
  reason: string | null
  body: Record<string, unknown>
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/**
 * The outcome of an item from its play events (oldest first), or null when there are none (the
 * caller decides between missed and pending). A finish whose RMS level is unknown or below
 * `silentDb` is `silent`, not played: the process ran but no sound is proven to have gone out.
 */
export function outcomeOf(events: readonly PlayEventLike[], silentDb: number): Outcome | null {
  if (events.length === 0) return null
  let playedMs = 0
  let interrupted = false
  let startedAt: string | null = null
  let last: PlayEventLike | null = null
  let finished: PlayEventLike | null = null
  for (const e of events) {
    if (e.type === 'play.started') startedAt ??= str(e.body.at)
    if (e.type === 'play.finished' || e.type === 'play.interrupted') {
      playedMs += num(e.body.playedMs) ?? 0
      startedAt ??= str(e.body.startedAt)
    }
    if (e.type === 'play.interrupted') interrupted = true
    if (e.type === 'play.finished') finished = e
    if (e.type !== 'play.started') last = e
  }
  const drill = events.some((e) => e.body.drill === true)
  const base = { playedMs, startedAt, interrupted, drill }
  if (finished) {
    const rmsDb = num(finished.body.rmsDb)
    const silent = rmsDb === null || rmsDb < silentDb
    return {
      ...base,
      status: silent ? 'silent' : 'played',
      reason: silent ? 'silent' : null,
      rmsDb,
    }
  }
  if (last?.type === 'play.failed') {
    const status = last.reason === 'interrupted' ? 'interrupted' : 'failed'
    return { ...base, status, reason: last.reason, rmsDb: null }
  }
  if (last?.type === 'play.interrupted') {
    return { ...base, status: 'interrupted', reason: str(last.body.reason), rmsDb: null }
  }
  return { ...base, status: 'playing', reason: null, rmsDb: null }
}
