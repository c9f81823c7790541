import { Type } from 'typebox'

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

/** Largest request body EMQX's templates produce, with room to spare. */
export const BROKER_HOOK_BODY_LIMIT = 4096
