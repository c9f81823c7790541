import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import {
  AlertSchema,
  AlertsQuerySchema,
  AvailabilityQuerySchema,
  AvailabilitySchema,
  BatchSchema,
  CommandBodySchema,
  CommandSchema,
  ControllerKeySchema,
  FleetSummarySchema,
  HoursQuerySchema,
  IdParamsSchema as IdParams,
  IncidentSchema,
  LimitQuerySchema,
  MetricsSchema,
  PlaySchema,
  RuleBodySchema,
  RuleParamsSchema,
  RuleSchema,
  TelemetrySampleSchema,
  TimeSchema,
  TimingSchema,
  TransitionSchema,
  WebhookDeliverySchema,
} from '../../../../contract/index.js'
import { instantToLocalDate } from '../../../../schedules/index.js'
import { ChorusError } from '../../../errors.js'
import { availabilityByDay } from './availability.js'
import { reachesAlert, scopedBatch, scopedIncident, summaryScope } from './scope.js'

/** Per-node monitoring: history, telemetry, availability, timing, plays and commands. */
export async function nodeMonitoringRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { clock, config } = app.deps
  const { nodes, health, commands, fleet, records, directory } = app.deps.services
  const ensure = (id: string) => {
    if (!directory.node(id)) throw new ChorusError('NODE_NOT_FOUND', `no node ${id}`)
  }
  const since = (hours: number) => new Date(clock.now() - hours * 3_600_000).toISOString()

  const history = (item: typeof TransitionSchema | typeof TelemetrySampleSchema) => ({
    schema: {
      params: IdParams,
      querystring: HoursQuerySchema,
      response: { 200: Type.Array(item) },
    },
  })

  app.get('/:id/transitions', history(TransitionSchema), async (req) => {
    ensure(req.params.id)
    return records.transitions(req.params.id, since(req.query.hours ?? 168))
  })

  app.get('/:id/telemetry', history(TelemetrySampleSchema), async (req) => {
    ensure(req.params.id)
    return records.telemetrySince(req.params.id, since(req.query.hours ?? 24))
  })

  app.get(
    '/:id/availability',
    {
      schema: {
        params: IdParams,
        querystring: AvailabilityQuerySchema,
        response: { 200: AvailabilitySchema },
      },
    },
    async (req) => {
      const node = nodes.get(req.params.id)
      const days = req.query.days ?? 7
      const now = clock.now()
      const from = now - days * 86_400_000
      const initial = records.stateBefore(node.id, new Date(from).toISOString())
      // Time before the node first came online (not yet installed) does not count against it.
      const first = records.firstOnline(node.id)
      if (!first) return []
      return availabilityByDay({
        transitions: records.transitions(node.id, new Date(from).toISOString()),
        initialOnline: initial === 'online',
        activeFrom: Date.parse(first),
        fromMs: from,
        toMs: now,
        localDate: (ms) => instantToLocalDate(ms, config.tz),
      })
    },
  )

  const timing = { schema: { params: IdParams, response: { 200: TimingSchema } } }
  app.get('/:id/timing', timing, async (req) => {
    ensure(req.params.id)
    const t = health.timingOf(req.params.id)
    const tel = fleet.telemetryOf(req.params.id)
    return {
      ...t,
      clockOffsetMs: tel?.clockOffsetMs ?? null,
      clockUncertaintyMs: tel?.clockUncertaintyMs ?? null,
    }
  })

  app.get(
    '/:id/plays',
    {
      schema: {
        params: IdParams,
        querystring: LimitQuerySchema,
        response: { 200: Type.Array(PlaySchema) },
      },
    },
    async (req) => {
      ensure(req.params.id)
      // Titled as in GET /api/plays (the reports own the programme the titles come from).
      return app.deps.services.reports.nodePlays(req.params.id, req.query.limit ?? 50)
    },
  )

  app.get(
    '/:id/commands',
    { schema: { params: IdParams, response: { 200: Type.Array(CommandSchema) } } },
    async (req) => {
      ensure(req.params.id)
      return records.commandsForNode(req.params.id)
    },
  )

  app.post(
    '/:id/commands',
    { schema: { params: IdParams, body: CommandBodySchema, response: { 201: CommandSchema } } },
    async (req, reply) => {
      reply.code(201)
      return commands.toNode(req.params.id, req.body)
    },
  )
}

/** Fleet-wide monitoring: summary, zone commands, alerts, rules, incidents, webhook, time. */
export async function fleetMonitoringRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { clock } = app.deps
  const { nodes, commands, alerts, records, directory } = app.deps.services
  const Batch = BatchSchema
  const answers = <T>(schema: T) => ({ schema: { response: { 200: schema } } })

  // A zone-limited principal counts the nodes of its zones' subtrees only.
  app.get('/api/fleet/summary', answers(FleetSummarySchema), async (req) =>
    nodes.summary(summaryScope(req)),
  )

  // The public key agents verify plans and commands with (it is also in provisioning bundles).
  app.get('/api/keys/controller', answers(ControllerKeySchema), async () => ({
    alg: 'Ed25519' as const,
    keyId: app.deps.signer.keyId,
    publicKeyPem: app.deps.signer.publicKeyPem,
  }))

  app.get('/api/time', answers(TimeSchema), async () => {
    const now = clock.now()
    return { now, iso: new Date(now).toISOString() }
  })

  app.post(
    '/api/zones/:id/commands',
    { schema: { params: IdParams, body: CommandBodySchema, response: { 201: Batch } } },
    async (req, reply) => {
      reply.code(201)
      return commands.toZone(req.params.id, req.body)
    },
  )

  app.get(
    '/api/commands/batches/:id',
    { schema: { params: IdParams, response: { 200: Batch } } },
    async (req) => {
      const all = records.commandBatch(req.params.id)
      const commands = scopedBatch(req, directory.zoneOfNode, all)
      // A batch wholly outside the principal's zones is, for it, no batch at all.
      if (all.length > 0 && commands.length === 0) {
        throw new ChorusError('OUT_OF_SCOPE', 'this batch is outside the zones assigned to you')
      }
      return { batchId: req.params.id, commands }
    },
  )

  app.get(
    '/api/alerts',
    {
      schema: {
        querystring: AlertsQuerySchema,
        response: { 200: Type.Array(AlertSchema) },
      },
    },
    async (req) =>
      (req.query.state === 'all' ? records.recentAlerts() : records.openAlerts()).filter((a) =>
        reachesAlert(req, directory.zoneOfNode, a),
      ),
  )

  for (const action of ['ack', 'resolve'] as const) {
    app.post(
      `/api/alerts/:id/${action}`,
      { schema: { params: IdParams, response: { 200: AlertSchema } } },
      async (req) => {
        const alert = records.alert(req.params.id)
        if (alert && !reachesAlert(req, directory.zoneOfNode, alert)) {
          throw new ChorusError('OUT_OF_SCOPE', 'this alert is outside the zones assigned to you')
        }
        return alerts[action](req.params.id)
      },
    )
  }

  app.get('/api/alert-rules', { schema: { response: { 200: Type.Array(RuleSchema) } } }, async () =>
    alerts.rules(),
  )

  app.put(
    '/api/alert-rules/:kind',
    {
      schema: {
        params: RuleParamsSchema,
        body: RuleBodySchema,
        response: { 200: RuleSchema },
      },
    },
    async (req) => alerts.setRule(req.params.kind, req.body.enabled, req.body.params ?? {}),
  )

  app.get(
    '/api/incidents',
    { schema: { response: { 200: Type.Array(IncidentSchema) } } },
    async (req) =>
      records.incidents().flatMap((i) => scopedIncident(req, directory.zoneOfNode, i) ?? []),
  )

  app.get('/api/webhook/deliveries', answers(Type.Array(WebhookDeliverySchema)), async () =>
    records.deliveries(),
  )

  app.get('/metrics', answers(MetricsSchema), async (_req, reply) => {
    const { registry } = app.deps.services.metrics
    reply.type(registry.contentType)
    return registry.metrics()
  })
}
