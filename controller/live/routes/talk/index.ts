import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  RelayAnswerSchema,
  RelayBodySchema,
  TALK_CLOSE,
  type TalkStart,
} from '../../../../contract/index.js'
import { relayUrlProblem } from '../../../../schedules/index.js'
import { actorOf } from '../../../accounts/audit.js'
import type { UserPrincipal } from '../../../accounts/roles.js'
import { ChorusError } from '../../../errors.js'
import { announcementInScope } from '../../../http/access-policy.js'
import { sameOrigin } from '../../../http/origin.js'
import { MAX_SESSION_MS } from '../../hub.js'
import { serveTalkSocket } from '../../talk-socket.js'

/** Longest a talk session may last (the Talk page counts it down). */
export const TALK_MAX_MS = 30 * 60_000

/** The principal of a request the auth plugin let through to a scheduler route. */
function userOf(req: FastifyRequest): UserPrincipal {
  const p = req.principal
  if (p?.kind !== 'user') throw new ChorusError('FORBIDDEN', 'only a user may go on air')
  return p
}

/**
 * The sources of live sessions: the Talk page's WebSocket and the relay of an external stream.
 * The sessions (list, records, recordings, the agents' stream) are the live routes'.
 */
export async function liveSourceRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { bus, clock, log } = app.deps
  const { audit } = app.deps.services
  const hub = () => app.deps.services.live

  app.route({
    method: 'GET',
    url: '/talk',
    schema: {
      response: {
        101: Type.Null({
          description:
            'Switching Protocols. Send {type:"start",zones,mode} (TalkStart), then binary PCM ' +
            's16le 48 kHz mono frames of 20–40 ms; receive TalkStatus messages. Close codes: ' +
            'TALK_CLOSE in contract/live-talk.ts.',
        }),
      },
    },
    // The socket carries no CSRF header: a browser's cookie must come from a page of this host.
    preValidation: async (req) => {
      const p = userOf(req)
      const origin = req.headers.origin
      const forwarded = req.headers['x-forwarded-host']
      if (
        p.via === 'session' &&
        !sameOrigin(origin, req.headers.host, typeof forwarded === 'string' ? forwarded : undefined)
      ) {
        throw new ChorusError('FORBIDDEN', 'open the talk socket from a page of this controller')
      }
    },
    handler: async () => {
      throw new ChorusError('BAD_REQUEST', 'this is a WebSocket: send an upgrade request')
    },
    wsHandler: (socket, req) => {
      const p = userOf(req)
      // A logout, a disabled user or changed roles or zones take the officer off the air.
      const recheck = req.recheck
      const access = (x: UserPrincipal) =>
        JSON.stringify([[...x.roles].sort(), [...x.zones].sort()])
      const onAccess = ({ userId }: { userId: string }) => {
        if (userId !== p.userId) return
        const now = recheck?.()
        if (now?.kind === 'user' && access(now) === access(p)) return
        socket.close(TALK_CLOSE.forbidden, 'ACCESS_CHANGED')
      }
      bus.on('accessChanged', onAccess)
      socket.on('close', () => bus.off('accessChanged', onAccess))
      serveTalkSocket(socket, {
        hub: hub(),
        clock,
        log,
        by: p.userId,
        maxMs: TALK_MAX_MS,
        refuse: (start: TalkStart) => {
          const refused = announcementInScope(p, req, start.zones)
          return refused
            ? { code: 'OUT_OF_SCOPE', message: refused, close: TALK_CLOSE.forbidden }
            : null
        },
        audit: (info, start) =>
          audit.record({
            by: actorOf(p, req.ip),
            action: 'live.talk',
            target: info.id,
            after: { zones: info.zones, mode: start.mode, playAt: info.playAt },
          }),
      })
    },
  })

  app.post(
    '/relay',
    { schema: { body: RelayBodySchema, response: { 201: RelayAnswerSchema } } },
    async (req, reply) => {
      const p = userOf(req)
      const problem = relayUrlProblem(req.body.url)
      if (problem) throw new ChorusError('LIVE_INVALID', problem)
      const now = clock.now()
      const until = req.body.until === undefined ? now + TALK_MAX_MS : Date.parse(req.body.until)
      const maxMs = until - now
      if (!Number.isFinite(maxMs) || maxMs <= 0 || maxMs > MAX_SESSION_MS) {
        throw new ChorusError(
          'LIVE_INVALID',
          `until must be in the future, at most ${MAX_SESSION_MS / 3_600_000} h from now`,
        )
      }
      const session = hub().open({
        kind: 'relay',
        zones: req.body.zones,
        by: p.userId,
        maxMs,
        source: { url: req.body.url },
      })
      const info = session.info()
      log.info({ sessionId: info.id, zones: info.zones }, 'relay opened')
      return reply.code(201).send({
        id: info.id,
        kind: info.kind,
        zones: info.zones,
        by: info.by,
        openedAt: info.openedAt,
        playAt: info.playAt,
        endsAt: info.openedAt + maxMs,
      })
    },
  )
}
