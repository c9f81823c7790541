import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import {
  HolidayImportSchema,
  HolidayPreviewSchema,
  HolidayStatusSchema,
  HolidayYearParamsSchema,
  NoContentSchema,
} from '../../../../contract/index.js'
import { authorOf } from '../audio/upload.js'

/**
 * The official holiday arrangements: status (for the "next year is missing" banner), preview of
 * a pasted notice or an .ics as a diff, import, and removal of an import.
 */
export async function holidayRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { holidays } = app.deps.services

  app.get('/', { schema: { response: { 200: HolidayStatusSchema } } }, async () =>
    holidays.status(),
  )

  app.post(
    '/preview',
    { schema: { body: HolidayImportSchema, response: { 200: HolidayPreviewSchema } } },
    async (req) => holidays.preview(req.body),
  )

  app.post(
    '/',
    { schema: { body: HolidayImportSchema, response: { 200: HolidayPreviewSchema } } },
    async (req) => holidays.apply(req.body, authorOf(req) ?? 'api'),
  )

  app.delete(
    '/:year',
    {
      schema: {
        params: HolidayYearParamsSchema,
        response: { 204: NoContentSchema },
      },
    },
    async (req, reply) => {
      await holidays.remove(req.params.year)
      return reply.code(204).send(null)
    },
  )
}
