import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { DELIVERY_FORMAT } from '../../../../audio/index.js'
import {
  AudioFileSchema,
  AudioIdParamsSchema,
  AudioPatchSchema,
  AudioQuerySchema,
  AudioSchema,
  AudioUsageSchema,
  Sha256ParamsSchema,
} from '../../../../contract/index.js'
import { ChorusError } from '../../../errors.js'
import { inheritedBy, reachOf } from '../../../http/plugins/auth.js'
import { type AudioUsage, usageWithin } from '../../audio-usage.js'
import { receiveUpload } from './upload.js'

/**
 * The audio library: upload (multipart `file`, optional `title`, `column`; the logged-in user is
 * recorded as `uploadedBy`), list with search and filters, read, edit, delete (refused while the
 * programme uses it), download.
 */
export async function audioRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { audio, files, announcements } = app.deps.services

  /** What a recording's usage may tell the caller: all, or a zone-limited user's share. */
  const narrowed = (req: FastifyRequest) => (usage: AudioUsage) => {
    const reach = reachOf(req)
    if (!reach) return usage
    const sees = (zoneId: string) => reach(zoneId) || inheritedBy(req, zoneId)
    return usageWithin(usage, sees, announcements.zonesOf)
  }

  app.get(
    '/',
    { schema: { querystring: AudioQuerySchema, response: { 200: Type.Array(AudioSchema) } } },
    async (req) => {
      const { q, column, silent, limit, offset } = req.query
      return audio.search({
        ...(q ? { q } : {}),
        ...(column !== undefined ? { columnId: column === 'none' ? '' : column } : {}),
        ...(silent !== undefined ? { silent } : {}),
        ...(limit !== undefined ? { limit } : {}),
        ...(offset !== undefined ? { offset } : {}),
      })
    },
  )

  app.get(
    '/:id',
    { schema: { params: AudioIdParamsSchema, response: { 200: AudioSchema } } },
    async (req) => audio.get(req.params.id),
  )

  app.get(
    '/:id/usage',
    { schema: { params: AudioIdParamsSchema, response: { 200: AudioUsageSchema } } },
    async (req) => narrowed(req)(audio.usage(req.params.id)),
  )

  app.patch(
    '/:id',
    {
      schema: {
        params: AudioIdParamsSchema,
        body: AudioPatchSchema,
        response: { 200: AudioSchema },
      },
    },
    async (req) => audio.update(req.params.id, req.body),
  )

  app.delete(
    '/:id',
    { schema: { params: AudioIdParamsSchema, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await audio.remove(req.params.id, narrowed(req))
      reply.code(204)
      return null
    },
  )

  app.post(
    '/',
    { schema: { response: { 201: AudioSchema, 200: AudioSchema } } },
    async (req, reply) => {
      const { upload } = await receiveUpload(req, audio, app.deps.config.maxUploadMb)
      const { record, duplicate } = await audio.ingest(upload)
      reply.code(duplicate ? 200 : 201)
      return { ...record, duplicate }
    },
  )

  // Content-addressed delivery: immutable, so agents may cache forever (private: the answer
  // needs credentials, so shared proxies must not keep it); range requests let an agent resume
  // a broken download.
  app.get(
    '/files/:sha256',
    { schema: { params: Sha256ParamsSchema, response: { 200: AudioFileSchema } } },
    async (req, reply) => {
      const p = req.principal
      // A node fetches only what its current or recent plans name; anything else is, for it,
      // not there (a stolen node learns nothing about the rest of the library).
      if (
        !files.exists(req.params.sha256) ||
        (p?.kind === 'node' && !files.plannedFor(p.nodeId, req.params.sha256))
      ) {
        throw new ChorusError('AUDIO_NOT_FOUND', `no file ${req.params.sha256}`)
      }
      reply.header('cache-control', 'private, max-age=31536000, immutable')
      reply.type(DELIVERY_FORMAT.mime)
      return reply.sendFile(`${req.params.sha256}.${DELIVERY_FORMAT.extension}`, audio.storeDir, {
        cacheControl: false,
      })
    },
  )
}
