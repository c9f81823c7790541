import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { type Identity, mayPublish, maySubscribe } from '../../../../broker/index.js'
import {
  BROKER_HOOK_BODY_LIMIT,
  BrokerAclResultSchema,
  BrokerAclSchema,
  BrokerAuthResultSchema,
  BrokerAuthSchema,
} from '../../../../contract/index.js'

/**
 * `POST /api/broker/auth` and `POST /api/broker/acl`: an EMQX cluster asks the controller, as
 * its HTTP authenticator and authorizer, whether a client may connect and whether it may publish
 * or subscribe. The answers come from the same credential store and the same pure ACL
 * (`broker/acl.ts`) as the embedded broker's, so the two cannot disagree: a node connects with
 * its id as username and client id and its secret as password, the controller with its service
 * credentials (`brokerUsername`/`brokerPassword`); a retired node's credentials are void. The
 * caller proves it is the broker with `brokerHookSecret` (checked by the auth plugin first).
 */
export async function brokerRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { services, config } = app.deps
  const credentials = services.provisioning.credentials

  /** Who an authenticated MQTT username is now, without its password (for authorization). */
  function identityOf(username: string, clientid: string): Identity | null {
    if (username === config.brokerUsername) return { kind: 'service', name: username }
    const node = services.directory.node(username)
    if (!node || node.retiredAt !== null || clientid !== username) return null
    return { kind: 'node', nodeId: username }
  }

  app.post(
    '/auth',
    {
      bodyLimit: BROKER_HOOK_BODY_LIMIT,
      schema: { body: BrokerAuthSchema, response: { 200: BrokerAuthResultSchema } },
    },
    async (req) => {
      const { clientid, username, password } = req.body
      const identity =
        username === '' || password === ''
          ? null
          : await credentials.authenticate(username, Buffer.from(password))
      // As on the embedded broker: a node's client id is its node id, so a second session of
      // the same node takes over the first instead of running beside it.
      const allowed =
        identity !== null && (identity.kind === 'service' || identity.nodeId === clientid)
      if (!allowed) req.log.debug({ clientid }, 'broker hook: connect denied')
      return { result: allowed ? 'allow' : 'deny', is_superuser: false } as const
    },
  )

  app.post(
    '/acl',
    {
      bodyLimit: BROKER_HOOK_BODY_LIMIT,
      schema: { body: BrokerAclSchema, response: { 200: BrokerAclResultSchema } },
    },
    async (req) => {
      // A template without `${retain}` is read as retained: refused to nodes (fail closed).
      const { clientid, username, action, topic, retain } = req.body
      const identity = identityOf(username, clientid)
      const allowed =
        identity !== null &&
        (action === 'publish'
          ? mayPublish(identity, topic, retain ?? true)
          : maySubscribe(identity, topic))
      if (!allowed) req.log.debug({ clientid, action, topic }, 'broker hook: access denied')
      return { result: allowed ? 'allow' : 'deny' } as const
    },
  )
}
