import { rm } from 'node:fs/promises'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { Compile } from 'typebox/compile'
import {
  AnnouncementListQuerySchema,
  AnnouncementSchema,
  CreateAnnouncementSchema,
  AnnouncementIdParamsSchema as IdParams,
} from '../../../../contract/index.js'
import { ChorusError } from '../../../errors.js'
import { announcementInScope } from '../../../http/access-policy.js'
import { announcementFor } from '../../announcement-scope.js'
import type { AnnouncementInput } from '../../announcements.js'
import { authorOf, receiveUpload, type UploadFields } from '../audio/upload.js'

type CreateBody = Static<typeof CreateAnnouncementSchema>
const checkBody = Compile(CreateAnnouncementSchema)

/** Multipart fields → the JSON body shape (zones comma-separated or repeated as zones[]). */
function fromFields(fields: UploadFields, audioId: string): unknown {
  const zones = (fields.zones ?? '')
    .split(',')
    .map((z) => z.trim())
    .filter(Boolean)
  return {
    audioId,
    ...(fields.title ? { title: fields.title } : {}),
    ...(zones.length > 0 ? { zones } : {}),
    ...(fields.at ? { at: fields.at } : {}),
    ...(fields.priority ? { priority: fields.priority } : {}),
    ...(fields.drill ? { drill: fields.drill === 'true' || fields.drill === '1' } : {}),
  }
}

/**
 * Urgent announcements (插播): create from a library recording (JSON) or a fresh upload
 * (multipart), list, read with per-node delivery and play results, cancel.
 */
export async function announcementsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { announcements, audio, accounts } = app.deps.services
  // 分级管理: a user limited to zones sees the announcements that reach them, narrowed to their nodes.
  const scopeOf = (req: FastifyRequest): string[] =>
    req.principal?.kind === 'user' ? req.principal.zones : []

  app.get(
    '/',
    {
      schema: {
        querystring: AnnouncementListQuerySchema,
        response: { 200: Type.Array(AnnouncementSchema) },
      },
    },
    async (req) => {
      const { from, to } = req.query
      const all = announcements.list(
        from || to ? { from: from ?? '0000-01-01', to: to ?? '9999-12-31' } : undefined,
      )
      const scope = scopeOf(req)
      return all.flatMap((a) => announcementFor(a, scope, accounts.inScope) ?? [])
    },
  )

  app.get(
    '/:id',
    { schema: { params: IdParams, response: { 200: AnnouncementSchema } } },
    async (req) => {
      // get answers 404 for an unknown id; out of scope is 403, as for nodes, batches and live
      // sessions outside one's zones.
      const a = announcementFor(announcements.get(req.params.id), scopeOf(req), accounts.inScope)
      if (!a) {
        throw new ChorusError(
          'OUT_OF_SCOPE',
          'this announcement is outside the zones assigned to you',
        )
      }
      return a
    },
  )

  app.post(
    '/',
    {
      schema: {
        body: { content: { 'application/json': { schema: CreateAnnouncementSchema } } },
        response: { 201: AnnouncementSchema },
      },
    },
    async (req, reply) => {
      const check = (body: unknown): CreateBody => {
        if (checkBody.Check(body)) return body as CreateBody
        const first = checkBody.Errors(body)[0]
        throw new ChorusError(
          'BAD_REQUEST',
          `body${first?.instancePath ?? ''} ${first?.message ?? 'is not valid'}`,
        )
      }
      // 分级管理: a user limited to zones announces only into them (before any upload is kept).
      const inScope = (body: CreateBody): CreateBody => {
        const p = req.principal
        const refused = p?.kind === 'user' ? announcementInScope(p, req, body.zones) : null
        if (refused) throw new ChorusError('FORBIDDEN', refused)
        return body
      }
      let b: CreateBody
      if (req.isMultipart()) {
        const { upload, fields } = await receiveUpload(req, audio, app.deps.config.maxUploadMb)
        try {
          inScope(check(fromFields(fields, 'a-pending'))) // refuse before keeping the recording
        } catch (err) {
          await rm(upload.file, { force: true })
          throw err
        }
        const { record } = await audio.ingest(upload)
        b = check(fromFields(fields, record.id))
      } else {
        b = inScope(check(req.body))
      }
      const input: AnnouncementInput = {
        audioId: b.audioId,
        level: b.priority,
        ...(b.title !== undefined ? { title: b.title } : {}),
        ...(b.zones !== undefined ? { zones: b.zones } : {}),
        ...(b.at !== undefined ? { at: b.at } : {}),
        ...(b.drill !== undefined ? { drill: b.drill } : {}),
        createdBy: authorOf(req),
      }
      reply.code(201)
      return announcements.create(input)
    },
  )

  app.post(
    '/:id/cancel',
    { schema: { params: IdParams, response: { 200: AnnouncementSchema } } },
    async (req) => announcements.cancel(req.params.id),
  )
}
