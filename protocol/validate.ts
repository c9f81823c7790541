import { Compile, type Validator } from 'typebox/compile'
import {
  type AgentEvent,
  AgentEventSchema,
  CHANNEL_SCHEMAS,
  type ChannelPayloads,
  EVENTS_MAX_BYTES,
  type EventsEnvelope,
  EventsEnvelopeSchema,
  RebirthMessageSchema,
} from './messages.js'
import type { Channel } from './topics.js'

/** Largest payload either side accepts; a plan of 5,000 items stays well below it. */
export const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024

/** Result of decoding one payload. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; errors: string[] }

/** A set of compiled checkers, one per channel, built once at start-up. */
export interface PayloadDecoder {
  /** Parses and validates a payload received on `channel`. */
  decode<C extends Channel>(channel: C, payload: Buffer | string): Decoded<ChannelPayloads[C]>
  /** Parses and validates a fleet-wide rebirth request. */
  decodeRebirth(payload: Buffer | string): Decoded<{ requestId: string; at: string }>
  /**
   * Parses an `events` payload's envelope only (at most EVENTS_MAX_BYTES); each event is then
   * checked with checkEvent.
   */
  decodeEnvelope(payload: Buffer | string): Decoded<EventsEnvelope>
  /** Validates one already parsed event. */
  checkEvent(value: unknown): Decoded<AgentEvent>
}

/** Compiles every channel's schema once and returns the decoder. */
export function createPayloadDecoder(): PayloadDecoder {
  const checkers = new Map<string, Validator>()
  for (const [channel, schema] of Object.entries(CHANNEL_SCHEMAS)) {
    checkers.set(channel, Compile(schema) as unknown as Validator)
  }
  const rebirth = Compile(RebirthMessageSchema) as unknown as Validator
  const envelope = Compile(EventsEnvelopeSchema) as unknown as Validator
  const event = Compile(AgentEventSchema) as unknown as Validator

  function check<T>(checker: Validator, value: unknown): Decoded<T> {
    if (checker.Check(value)) return { ok: true, value: value as T }
    const errors = checker
      .Errors(value)
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
    return { ok: false, errors: errors.length > 0 ? errors : ['does not match the schema'] }
  }

  function run<T>(
    checker: Validator,
    payload: Buffer | string,
    max = MAX_PAYLOAD_BYTES,
  ): Decoded<T> {
    const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length
    if (bytes > max) return { ok: false, errors: [`payload larger than ${max} bytes`] }
    let value: unknown
    try {
      value = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'))
    } catch (err) {
      return { ok: false, errors: [`not JSON: ${(err as Error).message}`] }
    }
    return check<T>(checker, value)
  }

  return {
    decode<C extends Channel>(channel: C, payload: Buffer | string) {
      const checker = checkers.get(channel)
      if (!checker) return { ok: false, errors: [`unknown channel ${channel}`] }
      const max = channel === 'events' ? EVENTS_MAX_BYTES : MAX_PAYLOAD_BYTES
      return run<ChannelPayloads[C]>(checker, payload, max)
    },
    decodeRebirth(payload) {
      return run(rebirth, payload)
    },
    decodeEnvelope(payload) {
      return run(envelope, payload, EVENTS_MAX_BYTES)
    },
    checkEvent(value) {
      return check(event, value)
    },
  }
}
