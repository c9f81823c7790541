/**
 * @module contract/platform
 * HTTP contract of the platform: health, the agents' clock and the controller's public key,
 * Prometheus metrics and the live event stream.
 */
import { type Static, Type } from 'typebox'

const Details = {
  uptimeSec: Type.Number(),
  version: Type.String(),
  tz: Type.String({ description: "the district's time zone" }),
  broker: Type.Object({
    mode: Type.Union([Type.Literal('embedded'), Type.Literal('external')]),
    connected: Type.Boolean(),
    clients: Type.Union([Type.Integer(), Type.Null()]),
  }),
  database: Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) }),
  mqtt: Type.Object({
    received: Type.Integer(),
    rejected: Type.Integer(),
    failed: Type.Integer(),
    limited: Type.Integer({ description: "dropped by a node's rate limit" }),
  }),
  ingest: Type.Object({
    stored: Type.Integer(),
    duplicates: Type.Integer(),
    pending: Type.Integer(),
  }),
}

/** Anonymous callers get `status` only; a logged-in user or token gets every field. */
export const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  uptimeSec: Type.Optional(Details.uptimeSec),
  version: Type.Optional(Details.version),
  tz: Type.Optional(Details.tz),
  broker: Type.Optional(Details.broker),
  database: Type.Optional(Details.database),
  mqtt: Type.Optional(Details.mqtt),
  ingest: Type.Optional(Details.ingest),
})

/** GET /api/time: the controller's clock, for the agents' clock sync. */
export const TimeSchema = Type.Object({
  now: Type.Number({ description: 'epoch milliseconds' }),
  iso: Type.String(),
})

/** GET /api/keys/controller: the key agents verify plans and commands with. */
export const ControllerKeySchema = Type.Object({
  alg: Type.Literal('Ed25519'),
  keyId: Type.String(),
  publicKeyPem: Type.String(),
})

/** GET /metrics: Prometheus text exposition format. */
export const MetricsSchema = Type.String({ description: 'Prometheus text format' })

/** GET /api/stream: a Server-Sent Events stream (text/event-stream) of live changes. */
export const StreamSchema = Type.String({ description: 'text/event-stream' })

/** Health as GET /api/health answers it. */
export type Health = Static<typeof HealthSchema>
/** The controller's clock. */
export type Time = Static<typeof TimeSchema>
