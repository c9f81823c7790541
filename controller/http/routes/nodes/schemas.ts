import { Type } from 'typebox'

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
})

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
