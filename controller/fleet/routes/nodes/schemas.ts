import { Type } from 'typebox'
import { CommandKindSchema } from '../../../../protocol/index.js'

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
  state: Type.Union([
    Type.Literal('online'),
    Type.Literal('offline'),
    Type.Literal('degraded'),
    Type.Literal('flapping'),
  ]),
  playing: Type.Boolean(),
  degradedReasons: Type.Array(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
    }),
  ),
  stateSince: Type.Union([Type.String(), Type.Null()]),
  offlineSince: Type.Union([Type.String(), Type.Null()]),
  incidentId: Type.Union([Type.String(), Type.Null()]),
  lastSeen: Type.Union([Type.String(), Type.Null()]),
  agentVersion: Type.Union([Type.String(), Type.Null()]),
  planVersion: Type.Union([Type.String(), Type.Null()]),
  reportedPlanVersion: Type.Union([Type.String(), Type.Null()]),
  appliedPlanVersion: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  retiredAt: Type.Union([Type.String(), Type.Null()]),
  serial: Type.Union([Type.String(), Type.Null()], { description: 'hardware serial' }),
  notes: Type.Union([Type.String(), Type.Null()]),
  enrolledAt: Type.Union([Type.String(), Type.Null()], {
    description: 'when the node last exchanged an enrollment token for its credentials',
  }),
  replacedAt: Type.Union([Type.String(), Type.Null()], {
    description: "when new hardware last took over the node's identity",
  }),
})

const Serial = Type.String({ minLength: 1, maxLength: 100, description: 'hardware serial' })
const Notes = Type.String({ maxLength: 1000 })

/** Body of PATCH /api/nodes/:id: what an installer or the office may edit. */
export const PatchNodeSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    zone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'zone id or code' }),
    ),
    // Null first: Ajv's type coercion would turn a JSON null into 0 for a number branch.
    lat: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: -90, maximum: 90 })])),
    lon: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: -180, maximum: 180 })])),
    serial: Type.Optional(Type.Union([Serial, Type.Null()])),
    notes: Type.Optional(Type.Union([Notes, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
)

/** A warning that did not stop a change. */
export const SpeakerWarningSchema = Type.Object({
  code: Type.Literal('DUPLICATE_NAME'),
  message: Type.String(),
})

/** Body of POST /api/nodes/import: the survey sheet as CSV text. */
export const ImportNodesSchema = Type.Object(
  {
    csv: Type.String({ minLength: 1, maxLength: 2_000_000 }),
    apply: Type.Optional(
      Type.Boolean({ description: 'false (default): only say what would happen' }),
    ),
  },
  { additionalProperties: false },
)

/** Answer of POST /api/nodes/import. */
export const ImportNodesResultSchema = Type.Object({
  applied: Type.Boolean(),
  rows: Type.Array(
    Type.Object({
      line: Type.Integer(),
      name: Type.String(),
      action: Type.Union([
        Type.Literal('create'),
        Type.Literal('update'),
        Type.Literal('unchanged'),
        Type.Literal('error'),
      ]),
      nodeId: Type.Union([Type.String(), Type.Null()]),
      message: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
})

/** Body of POST /api/nodes/bulk: one action on the speakers of a filtered list. */
export const BulkNodesSchema = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 5000 }),
    action: Type.Union([Type.Literal('move'), Type.Literal('retire'), Type.Literal('command')]),
    zone: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    command: Type.Optional(
      Type.Object(
        {
          kind: CommandKindSchema,
          params: Type.Optional(
            Type.Object({
              volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
              seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

/** Body of POST /api/nodes. */
export const CreateNodeSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    zone: Type.String({ minLength: 1, maxLength: 100, description: 'zone id or zone name' }),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    isTest: Type.Optional(Type.Boolean()),
    serial: Type.Optional(Serial),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false },
)

/** The provisioning bundle: what a new node needs to enroll (docs/node-install.md). */
export const BundleSchema = Type.Object({
  v: Type.Literal(1),
  nodeId: Type.String(),
  brokerUrl: Type.String(),
  controllerUrl: Type.String(),
  enrollmentToken: Type.String({ description: 'one-time; the controller keeps its SHA-256' }),
  expiresAt: Type.String(),
  caCert: Type.Union([Type.String(), Type.Null()], { description: 'PEM, when TLS is on' }),
  controllerKey: Type.String({
    description: "the controller's Ed25519 public key (PEM): agents obey only what it signed",
  }),
})

const Provisioned = {
  bundle: BundleSchema,
  bundleQr: Type.String({ description: "SVG QR code of the bundle's JSON" }),
}

/**
 * Answer to POST /api/nodes: the node, its secret (shown this once; it stops working when the
 * node enrolls) and its provisioning bundle.
 */
export const CreatedNodeSchema = Type.Object({
  ...NodeSchema.properties,
  secret: Type.String({ description: 'shown only once; the controller keeps its SHA-256' }),
  ...Provisioned,
})

/** Answer to POST /api/nodes/:id/enrollment. */
export const EnrollmentIssuedSchema = Type.Object({ id: Type.String(), ...Provisioned })

/** Body of POST /api/nodes/:id/replace. */
export const ReplaceNodeSchema = Type.Object(
  { serial: Type.Optional(Serial), notes: Type.Optional(Notes) },
  { additionalProperties: false },
)

/** Answer to POST /api/nodes/:id/replace: the node and a bundle for the new hardware. */
export const ReplacedNodeSchema = Type.Object({ ...NodeSchema.properties, ...Provisioned })

/** Answer to POST /api/nodes/:id/rotate: the node and its new secret, shown this once. */
export const RotatedNodeSchema = Type.Object({
  ...NodeSchema.properties,
  secret: Type.String({ description: 'shown only once; the controller keeps its SHA-256' }),
})

/** Body of POST /api/enroll. */
export const EnrollSchema = Type.Object(
  {
    nodeId: Type.String({ minLength: 1, maxLength: 128 }),
    token: Type.String({ minLength: 1, maxLength: 256 }),
    /** The node's event-signing public key (Ed25519, SPKI PEM), generated by the agent. */
    publicKey: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
  },
  { additionalProperties: false },
)

/** Answer to POST /api/enroll: the node's long-lived credentials, shown this once. */
export const EnrolledSchema = Type.Object({
  nodeId: Type.String(),
  secret: Type.String(),
  brokerUrl: Type.String(),
  controllerUrl: Type.String(),
})

/** A zone. */
export const ZoneSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  code: Type.Union([Type.String(), Type.Null()]),
  /** Depth in the tree (0: top); listed by GET /api/zones. */
  depth: Type.Optional(Type.Integer()),
  /** Active speakers in the zone itself, and in it and every zone below. */
  nodeCount: Type.Optional(Type.Integer()),
  totalNodes: Type.Optional(Type.Integer()),
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
  parentCode: Type.Union([Type.String(), Type.Null()]),
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

/** Path parameter `:id`. */
export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) })

/** Most nodes GET /api/nodes returns without paging parameters (the old web UI's call). */
export const UNPAGED_NODES_MAX = 10_000
/** Largest page of GET /api/nodes. */
export const NODES_PAGE_MAX = 500

/** Query of GET /api/nodes: with none of these, the whole list (capped) as before. */
export const NodesQuerySchema = Type.Object(
  {
    zone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'zone id; zones under it too' }),
    ),
    state: Type.Optional(
      Type.Union([
        Type.Literal('online'),
        Type.Literal('offline'),
        Type.Literal('degraded'),
        Type.Literal('flapping'),
      ]),
    ),
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'text in the name, id or serial' }),
    ),
    sort: Type.Optional(
      Type.Union([
        Type.Literal('name'),
        Type.Literal('state'),
        Type.Literal('lastSeen'),
        Type.Literal('zone'),
      ]),
    ),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: NODES_PAGE_MAX, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
)

/** A page of GET /api/nodes. */
export const NodesPageSchema = Type.Object({
  items: Type.Array(NodeSchema),
  /** Nodes matching the filters, all pages together. */
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
})
