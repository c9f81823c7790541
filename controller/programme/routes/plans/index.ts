import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { PlanStatusSchema } from '../../../../contract/index.js'
import { reachOf } from '../../../http/plugins/auth.js'

/** Plan currency across the fleet (a user limited to zones: across its nodes). */
export async function plansRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { planStatus } = app.deps.services
  app.get('/status', { schema: { response: { 200: PlanStatusSchema } } }, async (req) =>
    planStatus.status(reachOf(req)),
  )
}
