/**
 * @module api-docs
 * The API described by itself: `@fastify/swagger` builds an OpenAPI 3 document from every
 * route's schemas (contract/), with each route's part of the API, summary and the roles the
 * access policy grants; `@fastify/swagger-ui` serves a browsable page at `/api/docs` from its
 * own files in node_modules (no CDN). Both, and `/api/docs/openapi.json`, are for logged-in
 * users only (access-policy.ts). Registered before the routes, so it sees every one.
 */
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema } from 'fastify'
import { API_TAGS, CONTRACT_VERSION, ErrorSchema, ROUTE_DOCS } from '../../../contract/index.js'
import { accessOf, normaliseRoute, type RouteAccess } from '../access-policy.js'
import { sessionCookieName } from './auth.js'

/** Where the browsable docs live; the document is at `${DOCS_PREFIX}/openapi.json`. */
export const DOCS_PREFIX = '/api/docs'

/** Who may call a route, in words, for the docs. */
export function rolesText(access: RouteAccess | undefined): string {
  if (!access) return 'nobody (no access rule)'
  if (access.allow === 'public') return access.hook ? 'the broker (hook secret)' : 'anyone'
  const grants = access.allow.map((g) => (g === 'user' ? 'any logged-in user' : g))
  return ['admin', ...grants].join(', ')
}

/** The security requirements of a route: none, the broker's secret, a node, or a user. */
function securityOf(access: RouteAccess | undefined): Record<string, string[]>[] {
  if (!access || access.allow === 'public') return access?.hook ? [{ hookSecret: [] }] : []
  const users: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }]
  return access.allow.includes('node') ? [...users, { node: [] }] : users
}

/** Options of the docs plugin. */
export interface ApiDocsOptions {
  /** Served over TLS (the session cookie is then `__Host-` prefixed). */
  secure: boolean
}

async function apiDocsPluginImpl(app: FastifyInstance, opts: ApiDocsOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Chorus controller API',
        version: CONTRACT_VERSION,
        description:
          'Log in (POST /api/auth/login) for a session cookie, and send its CSRF token as ' +
          'x-csrf-token with every POST/PUT/PATCH/DELETE; or send an API token as ' +
          '`Authorization: Bearer …`. Errors answer `{ code, message }`.',
      },
      tags: API_TAGS.map((t) => ({ name: t.name, description: t.description })),
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(opts.secure) },
          bearer: { type: 'http', scheme: 'bearer', description: 'an API token' },
          node: { type: 'http', scheme: 'basic', description: 'a node: nodeId:secret' },
          hookSecret: { type: 'apiKey', in: 'header', name: 'x-chorus-hook-secret' },
        },
      },
    },
    transform: ({ schema, url: raw, route }) => {
      // `/api/nodes/` and `/api/nodes` are one route (a prefixed `/`), documented once.
      const url = normaliseRoute(raw)
      const method = [route.method].flat()[0] ?? 'GET'
      const key = `${method} ${url}`
      const doc = ROUTE_DOCS[key]
      const access = accessOf(method, url)
      const own = (schema ?? {}) as FastifySchema & { hide?: boolean; response?: object }
      return {
        url,
        schema: {
          ...own,
          ...(doc ? { tags: [doc.tag], summary: doc.summary } : {}),
          description: `Who: ${rolesText(access)}.`,
          security: securityOf(access),
          response: { ...own.response, '4XX': ErrorSchema },
        } as FastifySchema,
      }
    },
  })
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { deepLinking: true },
    validatorUrl: false,
  })
  app.get(`${DOCS_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger())
}

/** The docs plugin, not encapsulated, so the document sees the routes registered after it. */
export const apiDocsPlugin = Object.assign(apiDocsPluginImpl, {
  [Symbol.for('skip-override')]: true,
})
