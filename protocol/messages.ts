import { type Static, Type } from 'typebox'
import { EventSignatureSchema, SignatureSchema } from './signing.js'
import { NODE_ID_PATTERN } from './topics.js'

// Every payload is JSON. Unknown extra fields are allowed so that a newer controller or agent can
// add fields within v1 without breaking older peers; a breaking change moves to chorus/v2.

/** An instant on the wire: ISO 8601 with an explicit offset (`Z` or `+08:00`). */
export const InstantSchema = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:\\d{2})$',
  maxLength: 40,
})

/** A node id as it appears in payloads. */
export const NodeIdSchema = Type.String({ pattern: NODE_ID_PATTERN })

/** A lower-case hex SHA-256. */
export const Sha256Schema = Type.String({ pattern: '^[0-9a-f]{64}$' })

/** An opaque identifier (event ids, command ids, item ids, plan versions). */
export const IdSchema = Type.String({ minLength: 1, maxLength: 128 })

const Version = Type.Literal(1)

/** `status`: birth on every connect (online) and last will or clean shutdown (offline). */
export const StatusMessageSchema = Type.Object({
  v: Version,
  state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
  nodeId: NodeIdSchema,
  bootId: IdSchema,
  agentVersion: Type.String({ maxLength: 64 }),
  planVersion: Type.Union([IdSchema, Type.Null()]),
  at: Type.Optional(InstantSchema),
  reason: Type.Optional(
    Type.Union([
      Type.Literal('birth'),
      Type.Literal('rebirth'),
      Type.Literal('will'),
      Type.Literal('shutdown'),
    ]),
  ),
  /**
   * The highest signature sequence number the agent has accepted (plans and commands). A
   * controller whose own record is behind (data restored, floor file lost) continues above it.
   */
  seqFloor: Type.Optional(Type.Integer({ minimum: 0 })),
  /**
   * The node's event-signing public key (Ed25519, SPKI PEM). The controller pins it on first use
   * when the node has no key registered (hand-configured nodes); otherwise it must match.
   */
  nodeKey: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
  /**
   * Plan signature algorithms the agent accepts besides whole-plan `Ed25519` (today
   * `Ed25519-items-sha256`). The controller signs a node's plans over the items' digest only when
   * its birth names that algorithm, so agents that predate it keep getting plans they can verify
   * and the controller can be upgraded before its agents.
   */
  planSig: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 8 })),
})
/** Decoded `status` payload. */
export type StatusMessage = Static<typeof StatusMessageSchema>

/** One item of a node's plan: what to play, when, and where to fetch it. */
export const PlanItemSchema = Type.Object({
  itemId: IdSchema,
  startAt: InstantSchema,
  audioId: IdSchema,
  sha256: Sha256Schema,
  sizeBytes: Type.Integer({ minimum: 0 }),
  durationMs: Type.Integer({ minimum: 0 }),
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  title: Type.String({ maxLength: 200 }),
  priority: Type.Integer({ minimum: 0, maximum: 100 }),
  /** `announcement` (插播): played whole, may wait until `latestStartAt`; absent: a segment. */
  kind: Type.Optional(Type.Union([Type.Literal('segment'), Type.Literal('announcement')])),
  /** Announcements: the last instant at which the node may still start it. */
  latestStartAt: Type.Optional(InstantSchema),
  /** A drill item (sent only to test nodes); its play events carry `drill: true`. */
  drill: Type.Optional(Type.Boolean()),
  /**
   * Make-good (补播): a node that missed this segment may play it later, in a gap that holds it
   * whole before the next item, ending by this instant (already clipped to the column's window
   * and the next quiet hours). Absent: no make-good.
   */
  makeGoodUntil: Type.Optional(InstantSchema),
})
/** Decoded plan item. */
export type PlanItem = Static<typeof PlanItemSchema>

/**
 * Most items a plan may hold: an agent refuses a larger plan (`plan.rejected`, `too-large`), so
 * the controller refuses a running order that would produce one (HTTP 422).
 */
export const MAX_PLAN_ITEMS = 5000

/** `plan`: the node's whole programme for today plus the horizon, replacing what it held. */
export const PlanMessageSchema = Type.Object({
  v: Version,
  nodeId: NodeIdSchema,
  version: IdSchema,
  generatedAt: InstantSchema,
  tz: Type.String({ minLength: 1, maxLength: 64 }),
  dates: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 62 }),
  items: Type.Array(PlanItemSchema, { maxItems: MAX_PLAN_ITEMS }),
  sig: Type.Optional(SignatureSchema),
})
/** Decoded `plan` payload. */
export type PlanMessage = Static<typeof PlanMessageSchema>

/** Command kinds an agent understands. */
export const COMMAND_KINDS = ['ping', 'testTone', 'setVolume', 'stop', 'resync', 'restart'] as const
/** One command kind. */
export type CommandKind = (typeof COMMAND_KINDS)[number]

/** A command kind on the wire (the same list as COMMAND_KINDS). */
export const CommandKindSchema = Type.Union([
  Type.Literal('ping'),
  Type.Literal('testTone'),
  Type.Literal('setVolume'),
  Type.Literal('stop'),
  Type.Literal('resync'),
  Type.Literal('restart'),
])

/**
 * Live session commands (issue 13): sent by the controller's live hub, never by a person through
 * the commands API, so they are not in COMMAND_KINDS. The agent does not acknowledge them.
 */
export const LIVE_COMMAND_KINDS = ['live.start', 'live.stop'] as const

/** Codec and framing of a live stream: Ogg pages of 20 ms Opus frames (docs/protocol.md). */
export const LIVE_CODEC = 'opus/ogg'

/** `live.start`: join a live session's stream and play it from `playAt` (fleet time). */
export const LiveStartSchema = Type.Object({
  sessionId: IdSchema,
  /** `voice` (live voice, 喊话) or `relay` (转播 of an external source). */
  kind: Type.Union([Type.Literal('voice'), Type.Literal('relay')]),
  /** Where the agent fetches the stream, with its node credentials (HTTP Basic). */
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  codec: Type.Literal(LIVE_CODEC),
  /** The instant media time 0 sounds on every node (fleet clock). */
  playAt: InstantSchema,
  /** Plan priority (schedules/priority.ts: voice 90, relay 70). */
  priority: Type.Integer({ minimum: 0, maximum: 100 }),
  /** Zone ids the session targets ([]: the whole district); informative. */
  zones: Type.Array(IdSchema, { maxItems: 500 }),
  /** The session's limit, ms: the agent stops by playAt + maxMs whatever happens. */
  maxMs: Type.Integer({ minimum: 1, maximum: 4 * 3_600_000 }),
})
/** Decoded `live.start` parameters. */
export type LiveStart = Static<typeof LiveStartSchema>

/** `live.stop`: the session ended; the agent stops it (after what it has buffered). */
export const LiveStopSchema = Type.Object({
  sessionId: IdSchema,
  reason: Type.String({ minLength: 1, maxLength: 64 }),
})
/** Decoded `live.stop` parameters. */
export type LiveStop = Static<typeof LiveStopSchema>

/** `cmd`: one command with an id and an expiry; the agent answers with a `cmd.ack` event. */
export const CommandMessageSchema = Type.Object({
  v: Version,
  id: IdSchema,
  /** The node the command is for; signed, so a command cannot be replayed to another node. */
  nodeId: Type.Optional(NodeIdSchema),
  kind: Type.Union([
    ...CommandKindSchema.anyOf,
    Type.Literal('live.start'),
    Type.Literal('live.stop'),
  ]),
  /** `live.start`: the session to join. */
  liveStart: Type.Optional(LiveStartSchema),
  /** `live.stop`: the session that ended. */
  liveStop: Type.Optional(LiveStopSchema),
  params: Type.Optional(
    Type.Object({
      volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
      seconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 60 })),
    }),
  ),
  issuedAt: InstantSchema,
  expiresAt: InstantSchema,
  sig: Type.Optional(SignatureSchema),
})
/** Decoded `cmd` payload. */
export type CommandMessage = Static<typeof CommandMessageSchema>

/** Reasons a play can fail; the web UI translates each. */
export const PLAY_FAILURE_REASONS = [
  'checksum',
  'download',
  'decode',
  'late',
  'sink',
  'interrupted',
  'missing',
] as const
/** One play failure reason. */
export type PlayFailureReason = (typeof PLAY_FAILURE_REASONS)[number]

const EventBase = {
  id: IdSchema,
  at: InstantSchema,
  /** The node's signature (required by the controller; see "Signed events"). */
  sig: Type.Optional(EventSignatureSchema),
}

/**
 * On play events of a make-good: `true`, and the event's `itemId` and `scheduledAt` are those of
 * the missed segment (its original instant); `makeGoodAt` is the instant of the gap it was put in.
 */
const MakeGoodFields = {
  makeGood: Type.Optional(Type.Literal(true)),
  makeGoodAt: Type.Optional(InstantSchema),
}

/** Why a node did not play a segment at its instant (`play.missed`). */
export const MISS_REASONS = ['down', 'offline', 'no-audio', 'interrupted', 'late'] as const
/** One miss reason. */
export type MissReason = (typeof MISS_REASONS)[number]

/** Event: the agent stored and scheduled a plan. */
export const PlanAppliedEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('plan.applied'),
  planVersion: IdSchema,
  itemCount: Type.Integer({ minimum: 0 }),
})

/** Event: a scheduled item began to play. */
export const PlayStartedEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('play.started'),
  itemId: IdSchema,
  audioId: IdSchema,
  scheduledAt: InstantSchema,
  deviationMs: Type.Number(),
  /** Resumed after an announcement: where in the audio it joined, in ms (absent: the start). */
  offsetMs: Type.Optional(Type.Integer({ minimum: 0 })),
  drill: Type.Optional(Type.Boolean()),
  ...MakeGoodFields,
})

/** Event: a scheduled item played to its end, with evidence that sound went out. */
export const PlayFinishedEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('play.finished'),
  itemId: IdSchema,
  audioId: IdSchema,
  scheduledAt: InstantSchema,
  startedAt: InstantSchema,
  endedAt: InstantSchema,
  playedMs: Type.Integer({ minimum: 0 }),
  sha256: Sha256Schema,
  volume: Type.Integer({ minimum: 0, maximum: 100 }),
  rmsDb: Type.Union([Type.Number(), Type.Null()]),
  peakDb: Type.Union([Type.Number(), Type.Null()]),
  /** Resumed after an announcement: where in the audio it joined, in ms (absent: the start). */
  offsetMs: Type.Optional(Type.Integer({ minimum: 0 })),
  drill: Type.Optional(Type.Boolean()),
  ...MakeGoodFields,
})

/** Event: an item that was sounding was cut off before its end (by a higher-priority item). */
export const PlayInterruptedEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('play.interrupted'),
  itemId: IdSchema,
  audioId: IdSchema,
  scheduledAt: InstantSchema,
  startedAt: InstantSchema,
  endedAt: InstantSchema,
  playedMs: Type.Integer({ minimum: 0 }),
  reason: Type.Union([
    Type.Literal('preempted'),
    Type.Literal('stopped'),
    Type.Literal('cancelled'),
    Type.Literal('shutdown'),
    /** The agent process died while it played (found on its next start, see `now-playing`). */
    Type.Literal('crash'),
  ]),
  /** `preempted`: the item that took over. */
  byItemId: Type.Optional(IdSchema),
  offsetMs: Type.Optional(Type.Integer({ minimum: 0 })),
  drill: Type.Optional(Type.Boolean()),
  ...MakeGoodFields,
})

/** Event: for each date of the plan, whether every audio file it needs is cached and verified. */
export const ReadinessEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('readiness'),
  planVersion: IdSchema,
  dates: Type.Array(
    Type.Object({
      date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
      ready: Type.Boolean(),
      /** Item ids of that date whose audio is not (yet) in the cache. */
      missing: Type.Array(IdSchema, { maxItems: 5000 }),
    }),
    { maxItems: 62 },
  ),
})

/** Event: a scheduled item could not be played, and why. */
export const PlayFailedEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('play.failed'),
  itemId: IdSchema,
  audioId: Type.Optional(IdSchema),
  scheduledAt: InstantSchema,
  reason: Type.Union([
    Type.Literal('checksum'),
    Type.Literal('download'),
    Type.Literal('decode'),
    Type.Literal('late'),
    Type.Literal('sink'),
    Type.Literal('interrupted'),
    Type.Literal('missing'),
  ]),
  error: Type.Optional(Type.String({ maxLength: 1000 })),
  drill: Type.Optional(Type.Boolean()),
  ...MakeGoodFields,
})

/**
 * Event: a segment was not played at its instant, reported once per segment when its slot is
 * over: the agent was not running (`down`), had no audio while disconnected (`offline`) or
 * connected (`no-audio`), was cut or held up by an announcement and never resumed
 * (`interrupted`), or could not start in time for another reason (`late`). `makeGoodUntil`:
 * the node will try a make-good until then.
 */
export const PlayMissedEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('play.missed'),
  itemId: IdSchema,
  audioId: Type.Optional(IdSchema),
  scheduledAt: InstantSchema,
  reason: Type.Union([
    Type.Literal('down'),
    Type.Literal('offline'),
    Type.Literal('no-audio'),
    Type.Literal('interrupted'),
    Type.Literal('late'),
  ]),
  makeGoodUntil: Type.Optional(InstantSchema),
  drill: Type.Optional(Type.Boolean()),
})

/** Event: the answer to a command, echoing its id. */
export const CommandAckEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('cmd.ack'),
  cmdId: IdSchema,
  status: Type.Union([Type.Literal('ok'), Type.Literal('error'), Type.Literal('expired')]),
  error: Type.Optional(Type.String({ maxLength: 1000 })),
  result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})

/** Why an agent refused a plan or a command. */
export const REFUSAL_REASONS = [
  'unsigned',
  'unknown-key',
  'bad-signature',
  'replay',
  'other-node',
  'no-key',
  'invalid',
  'too-large',
] as const
/** One refusal reason. */
export type RefusalReason = (typeof REFUSAL_REASONS)[number]

const RefusalReasonSchema = Type.Union([
  Type.Literal('unsigned'),
  Type.Literal('unknown-key'),
  Type.Literal('bad-signature'),
  Type.Literal('replay'),
  Type.Literal('other-node'),
  Type.Literal('no-key'),
  Type.Literal('invalid'),
  Type.Literal('too-large'),
])

/**
 * Event: the agent refused a plan, received or found on its disk (`stored`), and keeps what it
 * held; a stored plan refused at start is discarded and the node's birth names no version.
 */
export const PlanRejectedEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('plan.rejected'),
  /** The refused plan's version, when it could be read. */
  planVersion: Type.Union([IdSchema, Type.Null()]),
  reason: RefusalReasonSchema,
  source: Type.Union([Type.Literal('received'), Type.Literal('stored')]),
  error: Type.Optional(Type.String({ maxLength: 1000 })),
})

/** Event: the agent refused a command (not run, not acknowledged). */
export const CmdRejectedEventSchema = Type.Object({
  ...EventBase,
  type: Type.Literal('cmd.rejected'),
  /** The refused command's id, when it could be read. */
  cmdId: Type.Union([IdSchema, Type.Null()]),
  reason: RefusalReasonSchema,
  error: Type.Optional(Type.String({ maxLength: 1000 })),
})

/** Any event an agent reports. */
export const AgentEventSchema = Type.Union([
  PlanAppliedEventSchema,
  PlayStartedEventSchema,
  PlayFinishedEventSchema,
  PlayFailedEventSchema,
  CommandAckEventSchema,
  PlayInterruptedEventSchema,
  ReadinessEventSchema,
  PlayMissedEventSchema,
  PlanRejectedEventSchema,
  CmdRejectedEventSchema,
])
/** Decoded agent event. */
export type AgentEvent = Static<typeof AgentEventSchema>
/** `plan.applied` event. */
export type PlanAppliedEvent = Static<typeof PlanAppliedEventSchema>
/** `play.started` event. */
export type PlayStartedEvent = Static<typeof PlayStartedEventSchema>
/** `play.finished` event. */
export type PlayFinishedEvent = Static<typeof PlayFinishedEventSchema>
/** `play.failed` event. */
export type PlayFailedEvent = Static<typeof PlayFailedEventSchema>
/** `cmd.ack` event. */
export type CommandAckEvent = Static<typeof CommandAckEventSchema>
/** `play.interrupted` event. */
export type PlayInterruptedEvent = Static<typeof PlayInterruptedEventSchema>
/** `play.missed` event. */
export type PlayMissedEvent = Static<typeof PlayMissedEventSchema>
/** `readiness` event. */
export type ReadinessEvent = Static<typeof ReadinessEventSchema>
/** `plan.rejected` event. */
export type PlanRejectedEvent = Static<typeof PlanRejectedEventSchema>
/** `cmd.rejected` event. */
export type CmdRejectedEvent = Static<typeof CmdRejectedEventSchema>
/** Agent event type names. */
export type AgentEventType = AgentEvent['type']

/** Most events one `events` message may carry (agents older than batch signatures sent 100). */
export const EVENTS_MAX_PER_MESSAGE = 100

/** Events an agent puts in one `events` message. */
export const EVENTS_PER_MESSAGE = 50

/** Largest `events` payload the controller accepts, in bytes (UTF-8 JSON). */
export const EVENTS_MAX_BYTES = 256 * 1024

/**
 * `events`: a batch of events from the agent's outbox, oldest first. Signed either as a whole
 * (`sig` over the message: one Ed25519 signature per message, what agents send) or event by event
 * (each event's own `sig`, without a message `sig`: the form of agents before batch signatures,
 * still accepted). See "Signed events".
 */
export const EventsMessageSchema = Type.Object({
  v: Version,
  events: Type.Array(AgentEventSchema, { minItems: 1, maxItems: EVENTS_MAX_PER_MESSAGE }),
  /** The node's signature over the whole message (its events included). */
  sig: Type.Optional(EventSignatureSchema),
})
/** Decoded `events` payload. */
export type EventsMessage = Static<typeof EventsMessageSchema>

/**
 * The envelope of an `events` message as the controller first reads it: each event is then
 * verified and validated on its own, so one bad event does not sink the valid ones beside it.
 */
export const EventsEnvelopeSchema = Type.Object({
  v: Version,
  events: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    minItems: 1,
    maxItems: EVENTS_MAX_PER_MESSAGE,
  }),
  sig: Type.Optional(EventSignatureSchema),
})
/** Decoded `events` envelope. */
export type EventsEnvelope = Static<typeof EventsEnvelopeSchema>

/** Most event ids one receipt lists (stored and rejected together). */
export const RECEIPT_MAX_IDS = 500

/**
 * `receipt`: controller → agent, after the ingest transaction committed. `stored` lists the ids
 * now durably stored (new or already stored before); `rejected` those the node signed but that do
 * not match the schema and never will. The agent deletes both from its outbox, and only then.
 */
export const ReceiptMessageSchema = Type.Object({
  v: Version,
  nodeId: NodeIdSchema,
  at: InstantSchema,
  stored: Type.Array(IdSchema, { maxItems: RECEIPT_MAX_IDS }),
  rejected: Type.Array(IdSchema, { maxItems: RECEIPT_MAX_IDS }),
  sig: Type.Optional(SignatureSchema),
})
/** Decoded `receipt` payload. */
export type ReceiptMessage = Static<typeof ReceiptMessageSchema>

/** `telemetry`: periodic health, QoS 0. */
export const TelemetryMessageSchema = Type.Object({
  v: Version,
  at: InstantSchema,
  agentVersion: Type.String({ maxLength: 64 }),
  uptimeSec: Type.Number({ minimum: 0 }),
  volume: Type.Integer({ minimum: 0, maximum: 100 }),
  planVersion: Type.Union([IdSchema, Type.Null()]),
  cacheBytes: Type.Integer({ minimum: 0 }),
  freeDiskBytes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /**
   * The agent is short of disk: free space below its reserve, or a write of its own failed for
   * lack of space (events then wait in memory; see docs/reliability.md "On the node").
   */
  lowDisk: Type.Optional(Type.Boolean()),
  /** Events held in memory because they could not be written to disk yet (part of outboxDepth). */
  unsavedEvents: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Controller clock − node system clock, ms (the clock exchange); null before any answer. */
  clockOffsetMs: Type.Union([Type.Number(), Type.Null()]),
  /** Error bound of the offset: half the round trip of its sample, ms; null before any answer. */
  clockUncertaintyMs: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()])),
  memRssBytes: Type.Integer({ minimum: 0 }),
  outboxDepth: Type.Integer({ minimum: 0 }),
  playing: Type.Boolean(),
  lastError: Type.Union([Type.String({ maxLength: 1000 }), Type.Null()]),
  audioOutput: Type.Optional(
    Type.Object({
      /** The sink's device: exists and opened (`ok`), absent, or failing. */
      state: Type.Union([
        Type.Literal('ok'),
        Type.Literal('missing'),
        Type.Literal('error'),
        Type.Literal('unknown'),
      ]),
      /** Result of the last play's decoder, null before the first play. */
      lastPlay: Type.Union([Type.Literal('ok'), Type.Literal('error'), Type.Null()]),
      error: Type.Optional(Type.String({ maxLength: 1000 })),
    }),
  ),
})
/** Decoded `telemetry` payload. */
export type TelemetryMessage = Static<typeof TelemetryMessageSchema>

/** Fleet-wide `rebirth` request: every node publishes its birth again. */
export const RebirthMessageSchema = Type.Object({
  v: Version,
  requestId: IdSchema,
  at: InstantSchema,
})
/** Decoded rebirth request. */
export type RebirthMessage = Static<typeof RebirthMessageSchema>

/** The schema of each per-node channel, keyed by channel name. */
export const CHANNEL_SCHEMAS = {
  status: StatusMessageSchema,
  plan: PlanMessageSchema,
  cmd: CommandMessageSchema,
  events: EventsMessageSchema,
  telemetry: TelemetryMessageSchema,
  receipt: ReceiptMessageSchema,
} as const

/** Payload type per channel. */
export interface ChannelPayloads {
  status: StatusMessage
  plan: PlanMessage
  cmd: CommandMessage
  events: EventsMessage
  telemetry: TelemetryMessage
  receipt: ReceiptMessage
}
