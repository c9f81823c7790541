import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { DELIVERY_FORMAT } from '../../../../audio/index.js'
import { ChorusError } from '../../../errors.js'

/** A recording in the library. */
export const AudioSchema = Type.Object({
  id: Type.String(),
  sha256: Type.String(),
  title: Type.String(),
  originalName: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
  sizeBytes: Type.Integer(),
  sourceCodec: Type.Union([Type.String(), Type.Null()]),
  loudnessBefore: Type.Union([Type.Number(), Type.Null()]),
  loudnessAfter: Type.Union([Type.Number(), Type.Null()]),
  silent: Type.Boolean(),
  createdAt: Type.String(),
  duplicate: Type.Optional(Type.Boolean()),
})

const TITLE_MAX = 200

/** The audio library: upload (multipart `file`, optional `title`), list, read, download. */
export async function audioRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { audio } = app.deps.services
  const { repos } = app.deps

  app.get('/', { schema: { response: { 200: Type.Array(AudioSchema) } } }, async () =>
    repos.audio.list(),
  )

  app.get(
    '/:id',
    { schema: { params: Type.Object({ id: Type.String() }), response: { 200: AudioSchema } } },
    async (req) => {
      const a = repos.audio.get(req.params.id)
      if (!a) throw new ChorusError('AUDIO_NOT_FOUND', `no audio ${req.params.id}`)
      return a
    },
  )

  app.post(
    '/',
    { schema: { response: { 201: AudioSchema, 200: AudioSchema } } },
    async (req, reply) => {
      if (!req.isMultipart()) {
        throw new ChorusError('AUDIO_MISSING_FILE', 'send multipart/form-data with a "file" field')
      }
      let file: string | null = null
      let originalName: string | null = null
      let title = ''
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file' || file) {
              part.file.resume()
              continue
            }
            file = audio.scratchPath()
            originalName = part.filename ? part.filename.slice(0, 255) : null
            await pipeline(part.file, createWriteStream(file))
            if (part.file.truncated) {
              throw new ChorusError(
                'AUDIO_TOO_LARGE',
                `the file is larger than ${app.deps.config.maxUploadMb} MB`,
              )
            }
          } else if (part.fieldname === 'title' && typeof part.value === 'string') {
            title = part.value.trim().slice(0, TITLE_MAX)
          }
        }
      } catch (err) {
        if (file) await rm(file, { force: true })
        if (err instanceof ChorusError) throw err
        const code = (err as { code?: string }).code
        if (code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new ChorusError(
            'AUDIO_TOO_LARGE',
            `the file is larger than ${app.deps.config.maxUploadMb} MB`,
          )
        }
        throw new ChorusError('BAD_REQUEST', `upload failed: ${(err as Error).message}`)
      }
      if (!file) throw new ChorusError('AUDIO_MISSING_FILE', 'no "file" field in the upload')
      const fallback = originalName ? originalName.replace(/\.[^.]+$/, '') : 'untitled'
      const { record, duplicate } = await audio.ingest({
        file,
        originalName,
        title: title || fallback,
      })
      reply.code(duplicate ? 200 : 201)
      return { ...record, duplicate }
    },
  )

  // Content-addressed delivery: immutable, so agents and proxies may cache forever; range
  // requests let an agent resume a broken download.
  app.get(
    '/files/:sha256',
    { schema: { params: Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }) } },
    async (req, reply) => {
      if (!repos.audio.getBySha256(req.params.sha256)) {
        throw new ChorusError('AUDIO_NOT_FOUND', `no file ${req.params.sha256}`)
      }
      reply.header('cache-control', 'public, max-age=31536000, immutable')
      reply.type(DELIVERY_FORMAT.mime)
      return reply.sendFile(`${req.params.sha256}.${DELIVERY_FORMAT.extension}`, audio.storeDir)
    },
  )
}
