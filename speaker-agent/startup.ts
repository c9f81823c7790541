/**
 * @module startup
 * What an agent checks on its disk before it plays: the stored plan must still be the one the
 * controller signed (an edited `plan.json` is refused, moved aside and reported, and the birth
 * then names no version so the controller sends the plan again), and an item that was sounding
 * when the previous process died gets its outcome (`now-playing.ts`).
 */
import type { Logger } from 'pino'
import type { AgentEvent, PlanMessage, RefusalReason } from '../protocol/index.js'
import type { NowPlaying } from './now-playing.js'
import type { PlanStore } from './plan-store.js'
import type { Refusals } from './refusals.js'
import type { Trust } from './trust.js'

/** The stored plan if it is this node's and verifies against the controller's key, else null. */
export async function loadTrustedPlan(deps: {
  planStore: PlanStore
  trust: Pick<Trust, 'checkStoredPlan'>
  refusals: Refusals
  log: Logger
  /** Told when the stored plan is refused (the agent's `refused` event). */
  onRefused?: (reason: RefusalReason) => void
}): Promise<PlanMessage | null> {
  const stored = await deps.planStore.load()
  if (!stored) return null
  const refusal = await deps.trust.checkStoredPlan(stored)
  if (refusal === null) return stored
  deps.log.error(
    { version: stored.version, reason: refusal },
    'stored plan fails verification; discarded, asking the controller for the plan',
  )
  await deps.planStore.discard()
  deps.onRefused?.(refusal)
  deps.refusals.refused('plan', refusal, {
    id: stored.version,
    source: 'stored',
    error: 'plan.json on the node does not match what the controller signed',
  })
  return null
}

/**
 * Reports the item the previous process was playing when it died and returns its id (the player
 * must not report it again); null when none.
 */
export async function recoverInterruptedPlay(deps: {
  nowPlaying: NowPlaying
  store: (event: AgentEvent) => Promise<void>
  log: Logger
}): Promise<string | null> {
  const event = await deps.nowPlaying.recover()
  if (!event) return null
  // The marker goes once the event is on disk (the outbox may wait for space); until then a
  // restart reports the same outcome again, with a new event id.
  void deps
    .store(event)
    .then(() => deps.nowPlaying.clear())
    .catch((err: unknown) =>
      deps.log.error({ err, itemId: event.itemId }, 'interrupted play not stored'),
    )
  return event.itemId
}
