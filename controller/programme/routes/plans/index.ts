import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

const CurrencySchema = Type.Object({ current: Type.Integer(), total: Type.Integer() })

/** GET /api/plans/status: how many nodes hold the current plan, per date and overall. */
export const PlanStatusSchema = Type.Object({
  generatedAt: Type.String(),
  overall: CurrencySchema,
  dates: Type.Array(Type.Object({ date: Type.String(), ...CurrencySchema.properties })),
  outdated: Type.Array(
    Type.Object({
      nodeId: Type.String(),
      name: Type.String(),
      online: Type.Boolean(),
      appliedVersion: Type.Union([Type.String(), Type.Null()]),
      currentVersion: Type.String(),
    }),
  ),
})

/** Plan currency across the fleet. */
export async function plansRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { planStatus } = app.deps.services
  app.get('/status', { schema: { response: { 200: PlanStatusSchema } } }, async () =>
    planStatus.status(),
  )
}
