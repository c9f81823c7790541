/**
 * @module contract/fleet
 * HTTP contract of the fleet: nodes as the API shows them, zones, per-node monitoring (history,
 * telemetry, availability, timing), commands, alerts, rules, incidents and webhook deliveries.
 */
import { type Static, Type } from 'typebox'
import { CommandKindSchema } from '../protocol/index.js'
import { NullableString } from './common.js'

/** The states a node can be in (labels: `NODE_STATE_LABELS`). */
export const NodeStateSchema = Type.Union([
  Type.Literal('online'),
  Type.Literal('offline'),
  Type.Literal('degraded'),
  Type.Literal('flapping'),
])

/** A node as the API returns it. */
export const NodeSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  zone: Type.String({ description: 'zone id' }),
  zoneName: Type.String(),
  lat: Type.Union([Type.Number(), Type.Null()]),
  lon: Type.Union([Type.Number(), Type.Null()]),
  isTest: Type.Boolean(),
  online: Type.Boolean(),
  state: NodeStateSchema,
  playing: Type.Boolean(),
  degradedReasons: Type.Array(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
    }),
  ),
  stateSince: NullableString,
  offlineSince: NullableString,
  incidentId: NullableString,
  lastSeen: NullableString,
  agentVersion: NullableString,
  planVersion: NullableString,
  reportedPlanVersion: NullableString,
  appliedPlanVersion: NullableString,
  createdAt: Type.String(),
  retiredAt: NullableString,
  serial: Type.Union([Type.String(), Type.Null()], { description: 'hardware serial' }),
  notes: NullableString,
  enrolledAt: Type.Union([Type.String(), Type.Null()], {
    description: 'when the node last exchanged an enrollment token for its credentials',
  }),
  replacedAt: Type.Union([Type.String(), Type.Null()], {
    description: "when new hardware last took over the node's identity",
  }),
})

/** GET /api/map: which base map the map page draws with no internet, and the default view. */
export const MapConfigSchema = Type.Object({
  /** pmtiles: the controller serves a PMTiles file; raster: an intranet tile URL; none. */
  base: Type.Union([Type.Literal('pmtiles'), Type.Literal('raster'), Type.Literal('none')]),
  /** The PMTiles file (relative to the API) or the tile URL template. */
  url: Type.Union([Type.String(), Type.Null()]),
  center: Type.Object({ lat: Type.Number(), lon: Type.Number() }),
  zoom: Type.Number(),
})

/** A zone. */
export const ZoneSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  parentId: NullableString,
  code: NullableString,
  /** Depth in the tree (0: top); listed by GET /api/zones. */
  depth: Type.Optional(Type.Integer()),
  /** Active speakers in the zone itself, and in it and every zone below. */
  nodeCount: Type.Optional(Type.Integer()),
  totalNodes: Type.Optional(Type.Integer()),
  /**
   * For a user limited to zones: a zone above theirs, listed only as the path to them (no
   * counts); they may not choose it.
   */
  ancestor: Type.Optional(Type.Boolean()),
})

/**
 * `details` of the 409 ZONE_IN_USE that DELETE /api/zones/:id answers: the zone and how many of
 * each thing still use it, for the UI to say in the reader's language (the `message` is English).
 */
export const ZoneInUseDetailsSchema = Type.Object({
  zoneId: Type.String(),
  zoneName: Type.String(),
  children: Type.Integer({ description: 'zones below it' }),
  nodes: Type.Integer({ description: 'active speakers in it' }),
  retiredNodes: Type.Integer({ description: 'retired speakers whose history names it' }),
  users: Type.Integer({ description: 'users limited to it' }),
  tokens: Type.Integer({ description: 'API tokens limited to it' }),
  announcements: Type.Integer({ description: 'announcements sent into it' }),
  runningOrders: Type.Integer({ description: "dates with the zone's own running order" }),
  calendarOverrides: Type.Integer({ description: "dates with the zone's own calendar override" }),
})

/** Body of PATCH /api/zones/:id: rename, move (parentId), change the code. */
export const PatchZoneSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    parentId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    code: Type.Optional(
      Type.Union([Type.String({ pattern: '^(\\d{6}|\\d{9}|\\d{12})?$' }), Type.Null()]),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)

/** A division of the bundled catalogue, flat: province → city → district → town by parentCode. */
export const DivisionSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  parentCode: NullableString,
})

/** Body of POST /api/zones/setup: a district of the catalogue and the towns to create. */
export const SetupZonesSchema = Type.Object(
  {
    district: Type.String({ pattern: '^\\d{6}$' }),
    towns: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{9}$' }), { maxItems: 200 })),
  },
  { additionalProperties: false },
)

/** Body of POST /api/zones/import: `code,name` lines. */
export const ImportZonesSchema = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: 1_000_000 }) },
  { additionalProperties: false },
)

/** Body of POST /api/zones. */
export const CreateZoneSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    parentId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    code: Type.Optional(
      Type.Union([Type.String({ pattern: '^(\\d{6}|\\d{9}|\\d{12})$' }), Type.Null()], {
        description: 'administrative-division code: 6 (district), 9 (town) or 12 digits',
      }),
    ),
  },
  { additionalProperties: false },
)

/** Path parameter `:id` of node, zone, alert and batch routes. */
export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) })

/** Query `?hours=` of a node's history and telemetry. */
export const HoursQuerySchema = Type.Object({
  hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 31 })),
})

/** One presence transition of a node. */
export const TransitionSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  at: Type.String(),
  reason: Type.String(),
})

const NullableNumber = Type.Union([Type.Number(), Type.Null()])

/** One stored telemetry sample. */
export const TelemetrySampleSchema = Type.Object({
  nodeId: Type.String(),
  at: Type.String(),
  receivedAt: Type.String(),
  volume: NullableNumber,
  cacheBytes: NullableNumber,
  freeDiskBytes: NullableNumber,
  clockOffsetMs: NullableNumber,
  memRssBytes: NullableNumber,
  outboxDepth: NullableNumber,
  playing: Type.Boolean(),
  audioOutput: NullableString,
  lastError: NullableString,
  agentVersion: NullableString,
  uptimeSec: NullableNumber,
})

/** Query `?days=` of a node's availability. */
export const AvailabilityQuerySchema = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
})

/** A node's share of time online per local date. */
export const AvailabilitySchema = Type.Array(
  Type.Object({ date: Type.String(), onlinePct: Type.Number() }),
)

/** A node's timing: its recent start deviations and clock offset. */
export const TimingSchema = Type.Object({
  medianDeviationMs: NullableNumber,
  samples: Type.Array(Type.Number(), { description: 'the last start deviations, ms' }),
  clockOffsetMs: NullableNumber,
  clockUncertaintyMs: NullableNumber,
})

/** Query `?limit=` of a node's recent plays. */
export const LimitQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
})

/** Counts of the fleet's nodes by state (retired nodes excluded). */
export const FleetSummarySchema = Type.Object({
  total: Type.Integer(),
  online: Type.Integer(),
  offline: Type.Integer(),
  degraded: Type.Integer(),
  flapping: Type.Integer(),
  playing: Type.Integer(),
})

/** A command and what became of it. */
export const CommandSchema = Type.Object({
  id: Type.String(),
  batchId: NullableString,
  nodeId: Type.String(),
  kind: Type.String(),
  params: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
  status: Type.String(),
  ackedAt: NullableString,
  error: NullableString,
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
})

/** Body of a command to a node or a zone. */
export const CommandBodySchema = Type.Object(
  {
    kind: CommandKindSchema,
    params: Type.Optional(
      Type.Object(
        {
          volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          seconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 60 })),
        },
        { additionalProperties: false },
      ),
    ),
    ttlSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
)

/** A batch of commands sent to a zone. */
export const BatchSchema = Type.Object({
  batchId: Type.String(),
  commands: Type.Array(CommandSchema),
})

/** An alert. */
export const AlertSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  subject: Type.String(),
  severity: Type.String(),
  nodeId: NullableString,
  zoneId: NullableString,
  incidentId: NullableString,
  message: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
  openedAt: Type.String(),
  ackedAt: NullableString,
  resolvedAt: NullableString,
  resolution: NullableString,
})

/** Query of GET /api/alerts. */
export const AlertsQuerySchema = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('all')])),
})

/** An alert rule. */
export const RuleSchema = Type.Object({
  kind: Type.String(),
  enabled: Type.Boolean(),
  params: Type.Record(Type.String(), Type.Number()),
  severity: Type.String(),
})

/** Path parameter `:kind` of an alert rule. */
export const RuleParamsSchema = Type.Object({ kind: Type.String() })

/** Body of PUT /api/alert-rules/:kind. */
export const RuleBodySchema = Type.Object(
  {
    enabled: Type.Boolean(),
    params: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0 }))),
  },
  { additionalProperties: false },
)

/** An incident. */
export const IncidentSchema = Type.Object({
  id: Type.String(),
  startedAt: Type.String(),
  endedAt: NullableString,
  cause: Type.String(),
  zoneId: NullableString,
  nodeIds: Type.Array(Type.String()),
})

/** One attempt to deliver an alert to the webhook. */
export const WebhookDeliverySchema = Type.Object({
  alertId: Type.String(),
  event: Type.String(),
  url: Type.String(),
  attempt: Type.Integer(),
  at: Type.String(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: NullableString,
  delivered: Type.Boolean(),
})

/** A node as the API returns it. */
export type Node = Static<typeof NodeSchema>
/** A node's state. */
export type NodeState = Static<typeof NodeStateSchema>
/** A zone. */
export type Zone = Static<typeof ZoneSchema>
/** What still uses a zone that cannot be deleted (409 ZONE_IN_USE `details`). */
export type ZoneInUseDetails = Static<typeof ZoneInUseDetailsSchema>
/** Answer to GET /api/map. */
export type MapConfig = Static<typeof MapConfigSchema>
/** One presence transition. */
export type Transition = Static<typeof TransitionSchema>
/** One telemetry sample. */
export type TelemetrySample = Static<typeof TelemetrySampleSchema>
/** A node's timing. */
export type Timing = Static<typeof TimingSchema>
/** Counts of nodes by state. */
export type FleetSummary = Static<typeof FleetSummarySchema>
/** A command. */
export type Command = Static<typeof CommandSchema>
/** Body of a command. */
export type CommandBody = Static<typeof CommandBodySchema>
/** A batch of commands. */
export type Batch = Static<typeof BatchSchema>
/** An alert. */
export type Alert = Static<typeof AlertSchema>
/** An alert rule. */
export type Rule = Static<typeof RuleSchema>
/** An incident. */
export type Incident = Static<typeof IncidentSchema>
/** A webhook delivery attempt. */
export type WebhookDelivery = Static<typeof WebhookDeliverySchema>
