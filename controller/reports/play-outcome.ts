/** What became of one scheduled item on one node, as proof-of-play reports show it. */
export type PlayStatus =
  | 'played'
  | 'madeGood'
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
  /** Made good (补播): when the make-good began; `reason` says why the instant was missed. */
  makeGoodAt: string | null
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
 * A make-good (events with `makeGood: true`) never counts as played on time: an item missed at
 * its instant and made good with sound is `madeGood` (补播), its reason the miss's; a node's
 * `play.missed` makes an item `missed` with the node's reason.
 */
export function outcomeOf(events: readonly PlayEventLike[], silentDb: number): Outcome | null {
  const own = events.filter((e) => e.body.makeGood !== true && e.type !== 'play.missed')
  const miss = events.find((e) => e.type === 'play.missed' && e.body.makeGood !== true)
  const onTime = ownOutcome(own, silentDb)
  if (onTime?.status === 'played' || onTime?.status === 'silent') return onTime
  const made = ownOutcome(
    events.filter((e) => e.body.makeGood === true),
    silentDb,
  )
  const missReason = miss?.reason ?? str(miss?.body.reason) ?? onTime?.reason ?? null
  if (made?.status === 'played') {
    return {
      ...made,
      status: 'madeGood',
      reason: missReason,
      interrupted: onTime?.interrupted ?? false,
      makeGoodAt: made.startedAt,
    }
  }
  if (onTime) return onTime
  if (!miss) return made && made.status === 'playing' ? made : null
  return {
    status: made?.status === 'playing' ? 'playing' : 'missed',
    reason: missReason,
    playedMs: 0,
    rmsDb: null,
    startedAt: null,
    interrupted: false,
    drill: miss.body.drill === true,
    makeGoodAt: null,
  }
}

function ownOutcome(events: readonly PlayEventLike[], silentDb: number): Outcome | null {
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
  const base = { playedMs, startedAt, interrupted, drill, makeGoodAt: null }
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

/**
 * An item that started and never reported an end although its slot and grace are over: the node
 * died mid-play and has not come back to say so (a restarted agent reports `play.interrupted`
 * with reason `crash`). Counted as interrupted with reason `noEnd`, never "playing" for ever.
 */
export function settleStale(outcome: Outcome, pastEndAndGrace: boolean): Outcome {
  if (outcome.status !== 'playing' || !pastEndAndGrace) return outcome
  return { ...outcome, status: 'interrupted', reason: 'noEnd' }
}
