import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { EnrolledSchema, EnrollSchema } from '../../../../contract/index.js'

/**
 * `POST /api/enroll { nodeId, token, publicKey? }`: a node exchanges its one-time enrollment token
 * for its long-lived credentials, and registers the public key its events will be signed with. The token is the only credential this route needs; a used, expired,
 * forged or other node's token gets a 401 (ENROLLMENT_USED, _EXPIRED, _INVALID).
 */
export async function enrollRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { provisioning } = app.deps.services

  app.post(
    '/',
    { schema: { body: EnrollSchema, response: { 200: EnrolledSchema } } },
    async (req) => {
      const enrolled = provisioning.enroll(req.body.nodeId, req.body.token, req.body.publicKey)
      await provisioning.accountsApplied()
      req.log.info({ nodeId: enrolled.nodeId }, 'node enrolled')
      return enrolled
    },
  )
}
