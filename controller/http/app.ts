import multipart from '@fastify/multipart'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyError, LogController } from 'fastify'
import { auditRoutes } from '../accounts/routes/audit/index.js'
import { authRoutes } from '../accounts/routes/auth/index.js'
import { tokensRoutes } from '../accounts/routes/tokens/index.js'
import { usersRoutes } from '../accounts/routes/users/index.js'
import type { AppDeps } from '../deps.js'
import { ChorusError } from '../errors.js'
import { mapRoutes } from '../fleet/routes/map/index.js'
import { fleetMonitoringRoutes, nodeMonitoringRoutes } from '../fleet/routes/monitoring/index.js'
import { nodesRoutes, zonesRoutes } from '../fleet/routes/nodes/index.js'
import { liveRoutes } from '../live/routes/index.js'
import { healthRoutes } from '../platform/routes/health/index.js'
import { announcementsRoutes } from '../programme/routes/announcements/index.js'
import { audioRoutes } from '../programme/routes/audio/index.js'
import { calendarRoutes } from '../programme/routes/calendar/index.js'
import { columnsRoutes } from '../programme/routes/columns/index.js'
import { daysRoutes } from '../programme/routes/days/index.js'
import { holidayRoutes } from '../programme/routes/holidays/index.js'
import { plansRoutes } from '../programme/routes/plans/index.js'
import { readinessRoutes } from '../programme/routes/readiness/index.js'
import { templatesRoutes } from '../programme/routes/templates/index.js'
import { brokerRoutes } from '../provisioning/routes/broker/index.js'
import { enrollRoutes } from '../provisioning/routes/enroll/index.js'
import { playsRoutes } from '../reports/routes/plays/index.js'
import { reportsRoutes } from '../reports/routes/reports/index.js'
import { apiDocsPlugin } from './plugins/api-docs.js'
import { authPlugin } from './plugins/auth.js'
import { ssePlugin } from './plugins/sse.js'
import { securityHeaders, servesStatic, staticCacheControl } from './security-headers.js'

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps
  }
}

/**
 * Builds the HTTP app without listening (STYLE rule 10): ecosystem plugins, then ours, then
 * routes, in an explicit order. Tests call `inject()` on it.
 */
export async function buildHttpApp(
  deps: AppDeps,
  https: { cert: string; key: string } | null = null,
) {
  const app = Fastify({
    ...(https ? { https } : {}),
    loggerInstance: deps.log.child({ module: 'http' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Stop means stop: Node's close() waits for any connection that is not idle, and one a client
    // opened without sending a request yet (an agent's clock-sync fetch aborted as it stopped, or
    // a slow client) held controller.stop() for up to headersTimeout (60 s). SSE streams are
    // ended in preClose (plugins/sse.ts).
    forceCloseConnections: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
  })
  app.decorate('deps', deps)

  app.setErrorHandler((err: FastifyError | ChorusError, req, reply) => {
    if (err instanceof ChorusError) {
      if (err.statusCode >= 500) req.log.error({ err }, 'request failed')
      const details = err.details === undefined ? {} : { details: err.details }
      return reply.code(err.statusCode).send({ code: err.code, message: err.message, ...details })
    }
    if (err.validation) {
      return reply.code(400).send({ code: 'BAD_REQUEST', message: err.message })
    }
    const status = err.statusCode ?? 500
    if (status >= 500) {
      req.log.error({ err, method: req.method, url: req.url }, 'request failed')
      return reply.code(500).send({ code: 'INTERNAL', message: 'internal error' })
    }
    return reply.code(status).send({ code: err.code ?? 'BAD_REQUEST', message: err.message })
  })
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` })
  })

  const headers = securityHeaders({ https: https !== null, tileUrl: deps.config.mapTileUrl })
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(headers)
    return payload
  })

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched'
    deps.services.metrics.observeHttp(route, req.method, reply.statusCode, reply.elapsedTime / 1000)
  })

  // First: it collects every route registered after it with its access rule (fail-closed).
  await app.register(authPlugin, { secure: https !== null })
  // Before the routes: the OpenAPI document collects each one as it is registered.
  await app.register(apiDocsPlugin, { secure: https !== null })
  await app.register(multipart, {
    limits: { fileSize: deps.config.maxUploadMb * 1024 * 1024, files: 1, fields: 10 },
  })
  // Source maps stay on the build machine: they would hand out the UI's whole source.
  await app.register(fastifyStatic, {
    root: deps.webRoot,
    prefix: '/',
    index: 'index.html',
    allowedPath: servesStatic,
    // `/next` → `/next/`: the new UI's asset paths are relative to its folder.
    redirect: true,
    setHeaders: (reply, path) => {
      const cache = staticCacheControl(path)
      if (cache) reply.header('cache-control', cache)
    },
  })
  await app.register(ssePlugin)
  await app.register(healthRoutes, { prefix: '/api/health' })
  await app.register(authRoutes, { prefix: '/api/auth', secure: https !== null })
  await app.register(tokensRoutes, { prefix: '/api/tokens' })
  await app.register(usersRoutes, { prefix: '/api/users' })
  await app.register(auditRoutes, { prefix: '/api/audit' })
  await app.register(nodesRoutes, { prefix: '/api/nodes' })
  await app.register(zonesRoutes, { prefix: '/api/zones' })
  await app.register(enrollRoutes, { prefix: '/api/enroll' })
  await app.register(brokerRoutes, { prefix: '/api/broker' })
  await app.register(audioRoutes, { prefix: '/api/audio' })
  await app.register(daysRoutes, { prefix: '/api/days' })
  await app.register(playsRoutes, { prefix: '/api/plays' })
  await app.register(columnsRoutes, { prefix: '/api/columns' })
  await app.register(templatesRoutes, { prefix: '/api/templates' })
  await app.register(calendarRoutes, { prefix: '/api/calendar' })
  await app.register(holidayRoutes, { prefix: '/api/holidays' })
  await app.register(mapRoutes, { prefix: '/api/map' })
  await app.register(announcementsRoutes, { prefix: '/api/announcements' })
  await app.register(liveRoutes, { prefix: '/api/live' })
  await app.register(plansRoutes, { prefix: '/api/plans' })
  await app.register(readinessRoutes, { prefix: '/api/readiness' })
  await app.register(reportsRoutes, { prefix: '/api/reports' })
  await app.register(nodeMonitoringRoutes, { prefix: '/api/nodes' })
  await app.register(fleetMonitoringRoutes)
  return app
}

/** The built HTTP app. */
export type HttpApp = Awaited<ReturnType<typeof buildHttpApp>>
