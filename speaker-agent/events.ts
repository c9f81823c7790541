import { randomUUID } from 'node:crypto'
import type { AgentEvent, PlayFailureReason } from '../protocol/index.js'
import { type Clock, isoAt } from './clock.js'

/** An agent event before it gets its unique id and instant. */
export type EventBody = AgentEvent extends infer E
  ? E extends AgentEvent
    ? Omit<E, 'id' | 'at'>
    : never
  : never

/** Gives an event body a fresh unique id (`crypto.randomUUID()`) and the current instant. */
export function stampEvent<B extends EventBody>(clock: Clock, body: B): B & AgentEvent {
  return { id: randomUUID(), at: isoAt(clock.now()), ...body } as B & AgentEvent
}

/** Receives every event the agent produces; the agent puts them into the durable outbox. */
export type ReportEvent = (event: AgentEvent) => void

/**
 * Types a failure reason for an event body. protocol/messages.ts builds `reason` (and `cmd.kind`)
 * with `Type.Union(LIST.map(Type.Literal))`, an array rather than a tuple, so its Static type is
 * `never`; the value is still validated at runtime. Remove once protocol/ types it as a tuple.
 */
export function asReason(reason: PlayFailureReason): never {
  return reason as never
}

/** A `plan.applied` event. */
export type PlanAppliedEvent = Extract<AgentEvent, { type: 'plan.applied' }>
/** A `play.started` event. */
export type PlayStartedEvent = Extract<AgentEvent, { type: 'play.started' }>
/** A `play.finished` event. */
export type PlayFinishedEvent = Extract<AgentEvent, { type: 'play.finished' }>
/** A `play.failed` event. */
export type PlayFailedEvent = Extract<AgentEvent, { type: 'play.failed' }>
/** A `cmd.ack` event. */
export type CommandAckEvent = Extract<AgentEvent, { type: 'cmd.ack' }>
/** A `play.interrupted` event. */
export type PlayInterruptedEvent = Extract<AgentEvent, { type: 'play.interrupted' }>
/** A `play.missed` event. */
export type PlayMissedEvent = Extract<AgentEvent, { type: 'play.missed' }>
/** A `readiness` event. */
export type ReadinessEvent = Extract<AgentEvent, { type: 'readiness' }>
