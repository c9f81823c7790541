import { Type } from 'typebox'
import { CommandKindSchema } from '../../../../protocol/index.js'

/** A command and what became of it. */
export const CommandSchema = Type.Object({
  id: Type.String(),
  batchId: Type.Union([Type.String(), Type.Null()]),
  nodeId: Type.String(),
  kind: Type.String(),
  params: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
  status: Type.String(),
  ackedAt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
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

/** An alert. */
export const AlertSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  subject: Type.String(),
  severity: Type.String(),
  nodeId: Type.Union([Type.String(), Type.Null()]),
  zoneId: Type.Union([Type.String(), Type.Null()]),
  incidentId: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
  openedAt: Type.String(),
  ackedAt: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  resolution: Type.Union([Type.String(), Type.Null()]),
})

/** An alert rule. */
export const RuleSchema = Type.Object({
  kind: Type.String(),
  enabled: Type.Boolean(),
  params: Type.Record(Type.String(), Type.Number()),
  severity: Type.String(),
})

/** An incident. */
export const IncidentSchema = Type.Object({
  id: Type.String(),
  startedAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  cause: Type.String(),
  zoneId: Type.Union([Type.String(), Type.Null()]),
  nodeIds: Type.Array(Type.String()),
})

/** Path parameter `:id`. */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) })
