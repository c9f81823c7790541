import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { IssueSchema, ItemInputSchema, ItemSchema } from '../days/schemas.js'

const DayTypeParamsSchema = Type.Object({
  dayType: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
})

/** A template as the API returns it. */
export const TemplateSchema = Type.Object({
  dayType: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
  items: Type.Array(ItemSchema),
  targetCount: Type.Integer(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  issues: Type.Array(IssueSchema),
})

const TemplateBodySchema = Type.Object(
  {
    items: Type.Array(ItemInputSchema, { maxItems: 500 }),
    targetCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
  },
  { additionalProperties: false },
)

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
