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
})

/** Body of POST /api/nodes. */
export const CreateNodeSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    zone: Type.String({ minLength: 1, maxLength: 100, description: 'zone id or zone name' }),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    isTest: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

/** Answer to POST /api/nodes: the node plus its secret, shown this once. */
export const CreatedNodeSchema = Type.Object({
  ...NodeSchema.properties,
  secret: Type.String({ description: 'shown only once; the controller keeps its SHA-256' }),
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
