import type { Logger } from 'pino'
import { nodeTopic, type PlanMessage } from '../../protocol/index.js'
import {
  createZonedTime,
  type PlanInputs,
  type PlanItem,
  type PlanNode,
  planDates,
  planForNode,
  planVersionOf,
  type ResolvedItem,
  resolveDates,
} from '../../schedules/index.js'
import type { EventBus } from '../platform/events.js'
import { type Clock, createInstantFormatter } from '../platform/time.js'
import type { Provisioning } from '../provisioning/provisioning.js'
import type { Repositories } from '../repositories.js'
import { parseQuietHours } from './order-items.js'
import { loadPlanInputs } from './programme-inputs.js'
import type { ProgrammeLedger } from './programme-ledger.js'

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
  /** Signs each plan as it is sent, so a resent plan carries a fresh sequence number. */
  sign: <T extends PlanMessage>(message: T) => T
  /** Records date programmes, plan digests and announcement deliveries (issue 3). */
  ledger?: ProgrammeLedger
  /** Config `quietHours` (`22:00-06:30`): make-goods end before the next quiet hours. */
  quietHours?: string
}) {
  const { repos, clock, tz } = deps
  const log = deps.log.child({ module: 'plan-publisher' })

  const zone = createZonedTime(tz)
  const instant = createInstantFormatter(tz)

  function inputsFor(dates: string[]): PlanInputs {
    const first = dates[0] ?? ''
    const quiet = deps.quietHours ? parseQuietHours(deps.quietHours) : undefined
    return loadPlanInputs(repos, first, dates[dates.length - 1] ?? first, quiet)
  }

  function buildMessage(node: PlanNode, dates: string[], resolved: readonly ResolvedItem[]) {
    const items = planForNode(resolved, node)
    const message: PlanMessage = {
      v: 1,
      nodeId: node.id,
      version: planVersionOf(items),
      generatedAt: instant(clock.now()),
      tz,
      dates,
      items: items.map((i) => ({
        itemId: i.itemId,
        startAt: instant(i.startAt),
        audioId: i.audioId,
        sha256: i.sha256,
        sizeBytes: i.sizeBytes,
        durationMs: i.durationMs,
        url: audioFileUrl(i.sha256),
        title: i.title.slice(0, 200),
        priority: i.priority,
        ...(i.kind ? { kind: i.kind } : {}),
        ...(i.latestStartAt !== undefined ? { latestStartAt: instant(i.latestStartAt) } : {}),
        ...(i.drill ? { drill: true } : {}),
        ...(i.makeGoodUntil !== undefined ? { makeGoodUntil: instant(i.makeGoodUntil) } : {}),
      })),
    }
    return { message, items }
  }

  function planNode(node: { id: string; zoneId: string; isTest: boolean }): PlanNode {
    return { id: node.id, zoneIds: deps.provisioning.zoneLineage(node.zoneId), isTest: node.isTest }
  }

  async function send(message: PlanMessage): Promise<void> {
    if (!deps.isConnected()) return
    const { sig: _old, ...unsigned } = message
    const signed = deps.sign(unsigned)
    await deps.publish(nodeTopic(message.nodeId, 'plan'), JSON.stringify(signed), { qos: 1 })
    deps.ledger?.onSent(message)
    log.debug({ nodeId: message.nodeId, version: message.version }, 'plan sent')
  }

  /**
   * Recomputes every active node's plan; stores and pushes only those whose version changed.
   * Nodes sharing a zone share one resolution, so the cost grows with zones, not nodes.
   */
  async function refreshAll(reason: string): Promise<{ changed: string[] }> {
    const dates = planDates(clock.now(), deps.horizonDays, tz)
    const inputs = inputsFor(dates)
    const resolved = resolveDates(inputs, dates, zone)
    deps.ledger?.recordDates(dates, inputs, resolved)
    const current = repos.plans.versions()
    const byGroup = new Map<string, ReturnType<typeof buildMessage>>()
    const changed: { message: PlanMessage; items: readonly PlanItem[] }[] = []
    for (const node of repos.nodes.list()) {
      if (node.retiredAt) continue
      const target = planNode(node)
      const key = `${node.isTest ? 'test' : 'regular'}:${target.zoneIds.join('>')}`
      let group = byGroup.get(key)
      if (!group) {
        group = buildMessage(target, dates, resolved)
        byGroup.set(key, group)
      }
      if (current.get(node.id) === group.message.version) continue
      changed.push({ message: { ...group.message, nodeId: node.id }, items: group.items })
    }
    if (changed.length > 0) {
      repos.plans.putMany(
        changed.map(({ message: m }) => ({
          nodeId: m.nodeId,
          version: m.version,
          body: JSON.stringify(m),
          generatedAt: m.generatedAt,
        })),
      )
      deps.ledger?.recordPlans(changed)
      deps.bus.emit('planChanged', { nodeIds: changed.map((c) => c.message.nodeId) })
    }
    const online = new Set(
      repos.nodes
        .list()
        .filter((n) => n.online)
        .map((n) => n.id),
    )
    const results = await Promise.allSettled(
      changed.filter((c) => online.has(c.message.nodeId)).map((c) => send(c.message)),
    )
    const failed = results.filter((r) => r.status === 'rejected').length
    log.info({ reason, nodes: current.size, changed: changed.length, failed }, 'plans refreshed')
    return { changed: changed.map((c) => c.message.nodeId) }
  }

  /** The plan a node should hold now, computing it if it was never computed. */
  function currentPlan(nodeId: string): PlanMessage | null {
    const stored = repos.plans.get(nodeId)
    if (stored) return JSON.parse(stored.body) as PlanMessage
    const node = repos.nodes.get(nodeId)
    if (!node || node.retiredAt) return null
    const dates = planDates(clock.now(), deps.horizonDays, tz)
    const built = buildMessage(planNode(node), dates, resolveDates(inputsFor(dates), dates, zone))
    const { message } = built
    repos.plans.putMany([
      {
        nodeId,
        version: message.version,
        body: JSON.stringify(message),
        generatedAt: message.generatedAt,
      },
    ])
    deps.ledger?.recordPlans([built])
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
