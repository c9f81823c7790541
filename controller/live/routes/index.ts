import { createReadStream, existsSync } from 'node:fs'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  EndLiveSchema,
  LiveAudioSchema,
  LiveIdParamsSchema,
  LiveListQuerySchema,
  LiveListSchema,
  LiveSessionSchema,
  type LiveSessionView,
  LiveStreamQuerySchema,
  OpenLiveSchema,
} from '../../../contract/index.js'
import { ChorusError } from '../../errors.js'
import { reachOf } from '../../http/plugins/auth.js'
import type { LiveRecord, LiveSessionInfo } from '../hub.js'

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

function fromInfo(
  i: LiveSessionInfo,
  r: LiveRecord | null,
  nameOf: (by: string) => string | null,
): LiveSessionView {
  return {
    id: i.id,
    kind: i.kind,
    zones: i.zones,
    by: i.by,
    byName: nameOf(i.by),
    openedAt: iso(i.openedAt) as string,
    playAt: iso(i.playAt) as string,
    endedAt: iso(i.endedAt),
    endReason: i.endReason,
    sounding: i.sounding,
    nodeCount: r?.nodeCount ?? null,
    durationMs: r?.durationMs ?? null,
    recordingBytes: r?.endedAt ? r.recordingBytes : null,
  }
}

function fromRecord(r: LiveRecord, nameOf: (by: string) => string | null): LiveSessionView {
  return {
    id: r.id,
    kind: r.kind,
    zones: r.zones,
    by: r.createdBy,
    byName: nameOf(r.createdBy),
    openedAt: r.openedAt,
    playAt: r.playAt,
    endedAt: r.endedAt,
    endReason: r.endReason,
    sounding: r.sounding,
    nodeCount: r.nodeCount,
    durationMs: r.durationMs,
    recordingBytes: r.endedAt ? r.recordingBytes : null,
  }
}

/**
 * Live sessions (issue 13): the record and what is on air, a URL relay opened and ended by hand,
 * each session's recording, and the stream its nodes fetch (Ogg Opus over chunked HTTP; the
 * `x-chorus-media-ms` header says where in the session the stream joins).
 */
export async function liveRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { live, accounts, provisioning } = app.deps.services

  /** A user limited to zones sees the sessions wholly inside them. */
  const visible = (zones: string[], req: { principal?: unknown }): boolean => {
    const p = req.principal as { kind?: string; zones?: string[] } | null | undefined
    if (p?.kind !== 'user' || !p.zones || p.zones.length === 0) return true
    const scope = p.zones
    return zones.length > 0 && zones.every((z) => accounts.inScope(scope, z))
  }

  /** The zone ids a user limited to zones reaches (their zones and below); undefined: all. */
  const within = (req: FastifyRequest): string[] | undefined => {
    const reach = reachOf(req)
    return reach && provisioning.listZones().flatMap((z) => (reach(z.id) ? [z.id] : []))
  }

  /** Who opened a session, by name; null for a running-order relay. */
  const nameOf = (by: string): string | null =>
    by.startsWith('schedule:') ? null : (accounts.record(by)?.username ?? by)

  const one = (id: string): LiveSessionView => {
    const info = live.get(id)
    if (!info) throw new ChorusError('LIVE_NOT_FOUND', `no live session ${id}`)
    return fromInfo(info, live.record(id), nameOf)
  }

  app.get(
    '/',
    { schema: { querystring: LiveListQuerySchema, response: { 200: LiveListSchema } } },
    async (req) => {
      const { limit = 100, offset = 0 } = req.query
      return {
        onAir: live
          .list()
          .filter((s) => visible(s.zones, req))
          .map((s) => fromInfo(s, live.record(s.id), nameOf)),
        sessions: live.history(limit, offset, within(req)).map((r) => fromRecord(r, nameOf)),
      }
    },
  )

  app.get(
    '/:id',
    { schema: { params: LiveIdParamsSchema, response: { 200: LiveSessionSchema } } },
    async (req) => one(req.params.id),
  )

  app.get(
    '/:id/recording',
    { schema: { params: LiveIdParamsSchema, response: { 200: LiveAudioSchema } } },
    async (req, reply) => {
      const r = live.record(req.params.id)
      if (!r) throw new ChorusError('LIVE_NOT_FOUND', `no live session ${req.params.id}`)
      if (!r.endedAt) throw new ChorusError('LIVE_INVALID', 'the session is still on air')
      if (!existsSync(r.recordingPath))
        throw new ChorusError('LIVE_NOT_FOUND', `the recording of ${r.id} is gone`)
      reply.type('audio/ogg')
      reply.header('content-disposition', `attachment; filename="live-${r.id}.ogg"`)
      // Bytes, not the string the schema documents them as (OpenAPI's binary string).
      return reply.send(createReadStream(r.recordingPath) as unknown as string)
    },
  )

  app.get(
    '/:id/stream',
    {
      schema: {
        params: LiveIdParamsSchema,
        querystring: LiveStreamQuerySchema,
        response: { 200: LiveAudioSchema },
      },
    },
    async (req, reply) => {
      const p = req.principal
      if (p?.kind !== 'node') throw new ChorusError('FORBIDDEN', 'nodes only')
      const { stream, mediaMs } = live.listen(req.params.id, p.nodeId, req.query.aheadMs)
      req.raw.on('close', () => stream.destroy())
      reply.header('cache-control', 'no-store')
      reply.header('x-chorus-media-ms', String(mediaMs))
      reply.type('audio/ogg')
      return reply.send(stream as unknown as string)
    },
  )

  app.post(
    '/',
    { schema: { body: OpenLiveSchema, response: { 201: LiveSessionSchema } } },
    async (req, reply) => {
      const p = req.principal
      const by = p?.kind === 'user' ? p.userId : 'api'
      const session = live.open({
        kind: req.body.kind ?? 'relay',
        zones: req.body.zones ?? [],
        by,
        maxMs: (req.body.maxSec ?? 600) * 1000,
        source: { url: req.body.url },
      })
      reply.code(201)
      return fromInfo(session.info(), live.record(session.id), nameOf)
    },
  )

  app.post(
    '/:id/end',
    {
      schema: {
        params: LiveIdParamsSchema,
        body: EndLiveSchema,
        response: { 200: LiveSessionSchema },
      },
    },
    async (req) => {
      const info = live.get(req.params.id)
      if (!info) throw new ChorusError('LIVE_NOT_FOUND', `no live session ${req.params.id}`)
      live.end(req.params.id, 'ended')
      return one(req.params.id)
    },
  )
}
