/**
 * @module agent-report
 * Where the agent's own events go: stored in the outbox (sent until receipted), seen by
 * now-playing, and told to the agent's listeners by kind.
 */
import type { EventEmitter } from 'node:events'
import type { Logger } from 'pino'
import type { AgentEvent } from '../protocol/index.js'
import type { AgentEvents } from './agent-types.js'
import type { AgentState } from './context.js'

export function createReporter(deps: {
  add: (event: AgentEvent) => Promise<void>
  /** Now-playing watches each event and the promise of it being stored. */
  observe: (event: AgentEvent, stored: Promise<void>) => void
  events: EventEmitter<AgentEvents>
  state: AgentState
  log: Logger
}) {
  const { events, state, log } = deps

  function store(event: AgentEvent): Promise<void> {
    const stored = deps.add(event)
    stored.catch((err: unknown) => log.error({ err, event }, 'event not stored'))
    deps.observe(event, stored)
    return stored
  }

  function report(event: AgentEvent): void {
    void store(event).catch(() => undefined)
    switch (event.type) {
      case 'play.started':
        return void events.emit('started', event)
      case 'play.finished':
        return void events.emit('played', event)
      case 'play.failed':
        state.lastError = `${event.itemId}: ${event.reason}${event.error ? ` (${event.error})` : ''}`
        return void events.emit('failed', event)
      case 'cmd.ack':
        return void events.emit('ack', event)
      case 'play.interrupted':
        return void events.emit('interrupted', event)
      case 'readiness':
        return void events.emit('readiness', event)
      case 'play.missed':
        return void events.emit('missed', event)
      case 'plan.applied':
      case 'plan.rejected':
      case 'cmd.rejected':
        return
    }
  }

  return { store, report }
}
