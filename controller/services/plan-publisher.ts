import type { Logger } from 'pino'
import { nodeTopic, type PlanMessage } from '../../protocol/index.js'
import {
  type DayOrder,
  type PlanAudio,
  type PlanInputs,
  planDates,
  planVersionOf,
  resolvePlan,
} from '../../schedules/index.js'
import type { Repositories } from '../db/repositories/index.js'
import type { EventBus } from '../events.js'
import { type Clock, formatInstant } from '../time.js'
import type { Provisioning } from './provisioning.js'

/** How a service publishes on MQTT: resolves when the broker acknowledged (QoS 1). */
export type Publish = (topic: string, payload: string, opts: { qos: 0 | 1 }) => Promise<void>

/** Where agents fetch a file: relative to the controller URL they were given. */
export function audioFileUrl(sha256: string): string {
  return `/api/audio/files/${sha256}`
}

/**
 * Resolves every node's plan, stores it when its content changed, and pushes it. Plans travel
 * by the version handshake (PRODUCT.md), never as retained messages: a birth naming an older
 * version is answered with the current plan, and a change is pushed to the nodes it affects.
 */
export function createPlanPublisher(deps: {
  repos: Repositories
  provisioning: Provisioning
  bus: EventBus
  clock: Clock
  log: Logger
  tz: string
  horizonDays: number
  publish: Publish
  isConnected: () => boolean
}) {
  const { repos, clock, tz } = deps
  const log = deps.log.child({ module: 'plan-publisher' })

  function inputsFor(dates: string[]): PlanInputs {
    const first = dates[0] ?? ''
    const last = dates[dates.length - 1] ?? first
    const dayOrders = new Map<string, DayOrder>()
    for (const d of repos.days.between(first, last)) {
      dayOrders.set(d.date, { mode: d.mode, items: d.items as DayOrder['items'] })
    }
    const audio = new Map<string, PlanAudio>()
    for (const a of repos.audio.list()) audio.set(a.id, a)
    return { templates: { working: [], rest: [] }, dayOrders, dayTypes: new Map(), audio }
  }

  function buildMessage(nodeId: string, lineage: string[], dates: string[], inputs: PlanInputs) {
    const items = resolvePlan(inputs, { id: nodeId, zoneIds: lineage }, dates, tz)
    const message: PlanMessage = {
      v: 1,
      nodeId,
      version: planVersionOf(items),
      generatedAt: formatInstant(clock.now(), tz),
      tz,
      dates,
      items: items.map((i) => ({
        itemId: i.itemId,
        startAt: formatInstant(i.startAt, tz),
        audioId: i.audioId,
        sha256: i.sha256,
        sizeBytes: i.sizeBytes,
        durationMs: i.durationMs,
        url: audioFileUrl(i.sha256),
        title: i.title,
        priority: i.priority,
      })),
    }
    return message
  }

  async function send(message: PlanMessage): Promise<void> {
    if (!deps.isConnected()) return
    await deps.publish(nodeTopic(message.nodeId, 'plan'), JSON.stringify(message), { qos: 1 })
    log.debug({ nodeId: message.nodeId, version: message.version }, 'plan sent')
  }

  /**
   * Recomputes every active node's plan; stores and pushes only those whose version changed.
   * Nodes sharing a zone share one resolution, so the cost grows with zones, not nodes.
   */
  async function refreshAll(reason: string): Promise<{ changed: string[] }> {
    const dates = planDates(clock.now(), deps.horizonDays, tz)
    const inputs = inputsFor(dates)
    const current = repos.plans.versions()
    const byLineage = new Map<string, ReturnType<typeof buildMessage>>()
    const changed: PlanMessage[] = []
    for (const node of repos.nodes.list()) {
      if (node.retiredAt) continue
      const lineage = deps.provisioning.zoneLineage(node.zoneId)
      const key = lineage.join('>')
      let template = byLineage.get(key)
      if (!template) {
        template = buildMessage(node.id, lineage, dates, inputs)
        byLineage.set(key, template)
      }
      if (current.get(node.id) === template.version) continue
      changed.push({ ...template, nodeId: node.id })
    }
    if (changed.length > 0) {
      repos.plans.putMany(
        changed.map((m) => ({
          nodeId: m.nodeId,
          version: m.version,
          body: JSON.stringify(m),
          generatedAt: m.generatedAt,
        })),
      )
      deps.bus.emit('planChanged', { nodeIds: changed.map((m) => m.nodeId) })
    }
    const online = new Set(
      repos.nodes
        .list()
        .filter((n) => n.online)
        .map((n) => n.id),
    )
    const results = await Promise.allSettled(
      changed.filter((m) => online.has(m.nodeId)).map((m) => send(m)),
    )
    const failed = results.filter((r) => r.status === 'rejected').length
    log.info({ reason, nodes: current.size, changed: changed.length, failed }, 'plans refreshed')
    return { changed: changed.map((m) => m.nodeId) }
  }

  /** The plan a node should hold now, computing it if it was never computed. */
  function currentPlan(nodeId: string): PlanMessage | null {
    const stored = repos.plans.get(nodeId)
    if (stored) return JSON.parse(stored.body) as PlanMessage
    const node = repos.nodes.get(nodeId)
    if (!node || node.retiredAt) return null
    const dates = planDates(clock.now(), deps.horizonDays, tz)
    const message = buildMessage(
      nodeId,
      deps.provisioning.zoneLineage(node.zoneId),
      dates,
      inputsFor(dates),
    )
    repos.plans.putMany([
      {
        nodeId,
        version: message.version,
        body: JSON.stringify(message),
        generatedAt: message.generatedAt,
      },
    ])
    return message
  }

  /** Version handshake: a node announced the version it holds; send ours when it differs. */
  async function onBirth(nodeId: string, heldVersion: string | null): Promise<void> {
    const plan = currentPlan(nodeId)
    if (!plan || plan.version === heldVersion) return
    log.info({ nodeId, held: heldVersion, current: plan.version }, 'node holds an old plan')
    await send(plan)
  }

  return { refreshAll, onBirth, currentPlan }
}

/** The plan publisher service. */
export type PlanPublisher = ReturnType<typeof createPlanPublisher>
