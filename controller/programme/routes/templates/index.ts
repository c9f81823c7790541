import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import {
  DayTypeParamsSchema,
  TemplateBodySchema,
  TemplateSchema,
} from '../../../../contract/index.js'

/** The working-day and rest-day running orders. */
export async function templatesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { templates } = app.deps.services

  app.get('/', { schema: { response: { 200: Type.Array(TemplateSchema) } } }, async () => [
    templates.get('working'),
    templates.get('rest'),
  ])

  app.get(
    '/:dayType',
    { schema: { params: DayTypeParamsSchema, response: { 200: TemplateSchema } } },
    async (req) => templates.get(req.params.dayType),
  )

  app.put(
    '/:dayType',
    {
      schema: {
        params: DayTypeParamsSchema,
        body: TemplateBodySchema,
        response: { 200: TemplateSchema },
      },
    },
    async (req) =>
      templates.put(req.params.dayType, {
        items: req.body.items.map((i) => ({ ...i, title: i.title ?? '' })),
        ...(req.body.targetCount !== undefined ? { targetCount: req.body.targetCount } : {}),
      }),
  )
}
