import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { authorOf } from '../audio/upload.js'

const DayKind = Type.Union([Type.Literal('working'), Type.Literal('rest')])

/** One dated entry of an official arrangement. */
export const OfficialDaySchema = Type.Object({
  date: Type.String(),
  type: DayKind,
  name: Type.String(),
  nameZh: Type.String(),
})

/** The notice's text or an .ics calendar, and the year when the text does not say it. */
export const HolidayImportSchema = Type.Object(
  {
    text: Type.Optional(Type.String({ maxLength: 200_000 })),
    ics: Type.Optional(Type.String({ maxLength: 200_000 })),
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2200 })),
  },
  { additionalProperties: false },
)

const Meaning = Type.Object({ type: DayKind, nameZh: Type.Union([Type.String(), Type.Null()]) })

/** An import read and compared with today's calendar. */
export const HolidayPreviewSchema = Type.Object({
  year: Type.Integer(),
  source: Type.Union([Type.Literal('notice'), Type.Literal('ics')]),
  days: Type.Array(OfficialDaySchema),
  warnings: Type.Array(Type.String()),
  current: Type.Union([Type.Literal('package'), Type.Literal('import'), Type.Literal('none')]),
  changes: Type.Array(Type.Object({ date: Type.String(), before: Meaning, after: Meaning })),
})

/** Known years, imports, and the year whose notice is due. */
export const HolidayStatusSchema = Type.Object({
  today: Type.String(),
  packageYears: Type.Array(Type.Integer()),
  imported: Type.Array(
    Type.Object({
      year: Type.Integer(),
      source: Type.Union([Type.Literal('notice'), Type.Literal('ics')]),
      importedAt: Type.String(),
      importedBy: Type.String(),
      dayCount: Type.Integer(),
    }),
  ),
  missingYear: Type.Union([Type.Integer(), Type.Null()]),
})

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
        params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2200 }) }),
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await holidays.remove(req.params.year)
      return reply.code(204).send(null)
    },
  )
}
