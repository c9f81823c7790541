import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

/** One play-related event as reported by a node. */
export const PlaySchema = Type.Object({
  nodeId: Type.String(),
  eventId: Type.String(),
  itemId: Type.Union([Type.String(), Type.Null()]),
  type: Type.String(),
  at: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  scheduledAt: Type.Optional(Type.String()),
  deviationMs: Type.Optional(Type.Number()),
  playedMs: Type.Optional(Type.Number()),
  rmsDb: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  peakDb: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  error: Type.Optional(Type.String()),
  /** play.interrupted: the item that took over. */
  byItemId: Type.Optional(Type.String()),
  /** A segment resumed after an announcement: where in the audio it joined. */
  offsetMs: Type.Optional(Type.Number()),
  /** A drill item (played only on test nodes). */
  drill: Type.Optional(Type.Boolean()),
})

/** GET /api/plays?date=YYYY-MM-DD: every play event reported for items of that date. */
export async function playsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { repos } = app.deps
  app.get(
    '/',
    {
      schema: {
        querystring: Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }),
        response: { 200: Type.Array(PlaySchema) },
      },
    },
    async (req) => repos.events.playViewsOn(req.query.date),
  )
}
