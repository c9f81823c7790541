/**
 * @module contract/provisioning
 * HTTP contract of provisioning: registering, replacing, retiring and rotating nodes, the
 * provisioning bundle, enrollment, and the hooks an EMQX cluster calls.
 */
import { type Static, Type } from 'typebox'
import { CommandKindSchema } from '../protocol/index.js'
import { NodeSchema } from './fleet.js'
import { NODE_IDS_MAX } from './limits.js'

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

/**
 * What EMQX's HTTP authenticator sends, from the body template of docs/scaling.md ("EMQX
 * cluster"): every placeholder is rendered as a string. Further fields an operator adds to the
 * template (`peerhost`, `proto_name`) are accepted and ignored.
 */
export const BrokerAuthSchema = Type.Object({
  clientid: Type.String({ maxLength: 256 }),
  username: Type.String({ maxLength: 256 }),
  password: Type.String({ maxLength: 1024 }),
})

/** What EMQX's HTTP authorizer sends; `retain` and `qos` arrive as strings ("true", "1"). */
export const BrokerAclSchema = Type.Object({
  clientid: Type.String({ maxLength: 256 }),
  username: Type.String({ maxLength: 256 }),
  action: Type.Union([Type.Literal('publish'), Type.Literal('subscribe')]),
  topic: Type.String({ maxLength: 2048 }),
  qos: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 })),
  retain: Type.Optional(Type.Boolean()),
})

const Result = Type.Union([Type.Literal('allow'), Type.Literal('deny')])

/** EMQX's authenticator answer: Chorus never makes a client a superuser (the ACL applies). */
export const BrokerAuthResultSchema = Type.Object({
  result: Result,
  is_superuser: Type.Literal(false),
})

/** EMQX's authorizer answer. */
export const BrokerAclResultSchema = Type.Object({ result: Result })

/** Most nodes GET /api/nodes returns without paging parameters (the old web UI's call). */
export const UNPAGED_NODES_MAX = 10_000
/** Largest page of GET /api/nodes. */
export const NODES_PAGE_MAX = 500

const NODE_IDS_PATTERN = `^[^,]{1,64}(,[^,]{1,64}){0,${NODE_IDS_MAX - 1}}$`

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
    ids: Type.Optional(
      Type.String({
        pattern: NODE_IDS_PATTERN,
        maxLength: 64 * NODE_IDS_MAX + NODE_IDS_MAX,
        description: `only these nodes: ids separated by commas, at most ${NODE_IDS_MAX}`,
      }),
    ),
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

/** Largest request body EMQX's templates produce, with room to spare. */
export const BROKER_HOOK_BODY_LIMIT = 4096

/** The provisioning bundle. */
export type Bundle = Static<typeof BundleSchema>
/** Body of POST /api/nodes. */
export type CreateNode = Static<typeof CreateNodeSchema>
/** Answer to POST /api/nodes. */
export type CreatedNode = Static<typeof CreatedNodeSchema>
/** Answer to POST /api/nodes/:id/enrollment. */
export type EnrollmentIssued = Static<typeof EnrollmentIssuedSchema>
/** Answer to POST /api/nodes/:id/replace. */
export type ReplacedNode = Static<typeof ReplacedNodeSchema>
/** Answer to POST /api/nodes/:id/rotate. */
export type RotatedNode = Static<typeof RotatedNodeSchema>
/** Answer to POST /api/enroll. */
export type Enrolled = Static<typeof EnrolledSchema>
