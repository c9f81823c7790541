import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { LoginSchema, MeSchema, PasswordChangeSchema } from '../../../../contract/index.js'
import { ChorusError } from '../../../errors.js'
import { sessionCookieName } from '../../../http/plugins/auth.js'
import { actorOf } from '../../audit.js'
import type { UserPrincipal } from '../../roles.js'

/** The request's user principal (the access policy admits only users here). */
export function userOf(req: FastifyRequest): UserPrincipal {
  const p = req.principal
  if (p?.kind !== 'user') throw new ChorusError('FORBIDDEN', 'only a user may do this')
  return p
}

const me = (p: UserPrincipal) => ({
  id: p.userId,
  username: p.username,
  roles: p.roles,
  zones: p.zones,
  csrfToken: p.csrfToken ?? null,
})

/**
 * Login, logout, who am I, and password change. The session id travels only in an HttpOnly,
 * SameSite=Strict cookie (Secure with TLS); the CSRF token comes back in the body.
 */
export async function authRoutes(fastify: FastifyInstance, opts: { secure: boolean }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { sessions, accounts } = app.deps.services
  const cookieName = sessionCookieName(opts.secure)

  app.post(
    '/login',
    { schema: { body: LoginSchema, response: { 200: MeSchema } } },
    async (req, reply) => {
      const by = actorOf(null, req.ip)
      const s = await sessions
        .login(by, req.body.username, req.body.password, req.headers['user-agent'] ?? null)
        .catch((err: unknown) => {
          const retry = (err as ChorusError).details as { retryAfterSec?: number } | undefined
          if (retry?.retryAfterSec) reply.header('retry-after', String(retry.retryAfterSec))
          throw err
        })
      // A browser-session cookie: closing the browser ends it; the server also expires it.
      reply.setCookie(cookieName, s.sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        secure: opts.secure,
        path: '/',
      })
      return me(s.principal)
    },
  )

  app.post('/logout', { schema: { response: { 204: Type.Null() } } }, async (req, reply) => {
    const p = userOf(req)
    sessions.logout(actorOf(p, req.ip), p)
    reply.clearCookie(cookieName, { path: '/' })
    reply.code(204)
    return null
  })

  app.get('/me', { schema: { response: { 200: MeSchema } } }, async (req) => me(userOf(req)))

  app.post(
    '/password',
    { schema: { body: PasswordChangeSchema, response: { 204: Type.Null() } } },
    async (req, reply) => {
      const p = userOf(req)
      await accounts.changePassword(
        actorOf(p, req.ip),
        p.userId,
        req.body.current,
        req.body.next,
        p.sessionHash ?? null,
      )
      reply.code(204)
      return null
    },
  )
}
