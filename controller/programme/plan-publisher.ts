import type { Logger } from 'pino'
import { nodeTopic, type PlanMessage } from '../../protocol/index.js'
import {
  createZonedTime,
  type PlanInputs,
  type PlanNode,
  planDates,
  type ResolvedItem,
  resolveDates,
} from '../../schedules/index.js'
import { type Clock, createInstantFormatter } from '../platform/index.js'
import type { Provisioning } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'
import { parseQuietHours } from './order-items.js'
import { type PreparedPlan, planPayload, preparePlan, unsignedFor } from './plan-encoding.js'
import { type BuiltPlan, createPlanBuilder } from './plan-message.js'
import {
  changedZones,
  FULL_SCOPE,
  indexResolution,
  narrowZones,
  type PlanScope,
  type ResolutionIndex,
} from './plan-scope.js'
import { createPlanSends } from './plan-sends.js'
import { loadPlanInputs } from './programme-inputs.js'
import type { ProgrammeLedger } from './programme-ledger.js'

/** How a service publishes on MQTT: resolves when the broker acknowledged (QoS 1). */
export type Publish = (
  topic: string,
  payload: string | Buffer,
  opts: { qos: 0 | 1 },
) => Promise<void>

/** Nodes re-planned between two turns of the event loop. */
const SLICE_NODES = 500

/** Prepared plans kept for births beyond the groups of the re-plan under way. */
const PREPARED_KEPT = 32

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Resolves every node's plan, stores it when its content changed, and pushes it. Plans travel
 * by the version handshake (PRODUCT.md), never as retained messages: a birth naming an older
 * version is answered with the current plan, and a change is pushed to the nodes it affects.
 */
export function createPlanPublisher(deps: {
  repos: Pick<
    SharedRepositories,
    | 'announcements'
    | 'audio'
    | 'calendar'
    | 'columns'
    | 'days'
    | 'nodes'
    | 'officialCalendar'
    | 'plans'
    | 'programme'
    | 'templates'
    | 'zones'
  >
  provisioning: Provisioning
  clock: Clock
  log: Logger
  tz: string
  horizonDays: number
  publish: Publish
  isConnected: () => boolean
  /**
   * Signs each plan as it is sent, so a resent plan carries a fresh sequence number; over the
   * items' digest (`ITEMS_DIGEST_ALG`), computed once per group, in the items' place.
   */
  sign: <T extends PlanMessage>(
    message: T,
    known: ReadonlyMap<object, string> | undefined,
    itemsDigest?: string,
  ) => T
  /** Plans signed and handed to the broker at once (default PLAN_SENDS_AT_ONCE). */
  sendsAtOnce?: number
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

  const buildMessage = createPlanBuilder({ clock, tz, instant })

  function planNode(node: { id: string; zoneId: string; isTest: boolean }): PlanNode {
    return { id: node.id, zoneIds: deps.provisioning.zoneLineage(node.zoneId), isTest: node.isTest }
  }

  // Nodes whose last birth named ITEMS_DIGEST_ALG among the plan signatures they accept.
  const digestSigned = new Set<string>()

  // Prepared plans by stored body: the groups of the newest resolution (`latest`) and the last
  // few others read back from the store (births of nodes holding an older plan).
  const kept = new Map<string, PreparedPlan>()

  function keep(key: string, plan: PreparedPlan): void {
    kept.delete(key)
    kept.set(key, plan)
    if (kept.size > PREPARED_KEPT) kept.delete(kept.keys().next().value as string)
  }

  /**
   * The prepared form of the plan a node holds in the store: every node of a group names the
   * same stored body, prepared once.
   */
  function storedPlan(nodeId: string): PreparedPlan | null {
    const head = repos.plans.head(nodeId)
    if (!head) return null
    const found = latest?.prepared.get(head.bodyHash) ?? kept.get(head.bodyHash)
    if (found) return found
    const stored = repos.plans.get(nodeId)
    if (!stored) return null
    const plan = preparePlan(JSON.parse(stored.body) as PlanMessage)
    keep(stored.bodyHash, plan)
    return plan
  }

  /** Signs and publishes the plan a node should hold now (its turn in the send queue). */
  async function sendCurrent(nodeId: string): Promise<void> {
    if (!deps.isConnected()) return
    const plan = storedPlan(nodeId)
    if (!plan) return
    // Over the items' digest for agents that said they accept it; whole-plan otherwise.
    const { sig } = digestSigned.has(nodeId)
      ? deps.sign(unsignedFor(plan, nodeId), undefined, plan.itemsDigest)
      : deps.sign(unsignedFor(plan, nodeId), plan.known)
    await deps.publish(nodeTopic(nodeId, 'plan'), planPayload(plan, nodeId, sig), { qos: 1 })
    deps.ledger?.onSent({ nodeId, version: plan.version, announces: plan.announces })
    log.debug({ nodeId, version: plan.version }, 'plan sent')
  }

  const sends = createPlanSends({
    send: sendCurrent,
    ...(deps.sendsAtOnce ? { limit: deps.sendsAtOnce } : {}),
  })

  // What the last complete pass resolved: a change is compared with it to find the zones it
  // reaches. Null until a pass completes (then every zone is re-planned).
  let published: ResolutionIndex | null = null
  /**
   * The newest resolution of the district (by any re-plan, complete or not) and the plans built
   * from it, one per group of nodes (same zones, same test flag): every node of a group gets
   * the same plan, built, encoded and kept once until the next re-plan.
   */
  interface Group extends BuiltPlan {
    prepared: PreparedPlan
  }
  interface Resolution {
    dates: string[]
    resolved: readonly ResolvedItem[]
    groups: Map<string, Group>
    prepared: Map<string, PreparedPlan>
  }
  let latest: Resolution | null = null

  const prepareBuilt = (built: BuiltPlan): Group => ({
    ...built,
    prepared: preparePlan(built.message),
  })

  /** The plan of `node`'s group in resolution `r`, built at its first use. */
  function groupPlan(r: Resolution, node: PlanNode): Group {
    const key = `${node.isTest ? 'test' : 'regular'}:${node.zoneIds.join('>')}`
    let group = r.groups.get(key)
    if (!group) {
      group = prepareBuilt(buildMessage(node, r.dates, r.resolved))
      r.groups.set(key, group)
      r.prepared.set(group.prepared.body.hash, group.prepared)
    }
    return group
  }

  /**
   * Re-plans the nodes a change may reach; stores and pushes only the plans whose version changed.
   * Nodes sharing a zone share one resolution, so the cost grows with zones, not nodes. Works in
   * slices of SLICE_NODES that yield to the event loop, so MQTT keepalives, ingestion and HTTP go
   * on at any fleet size. A change of dates outside the plans' horizon costs nothing.
   */
  async function refresh(
    reason: string,
    scope: PlanScope = FULL_SCOPE,
  ): Promise<{ changed: string[]; considered: number }> {
    const began = performance.now()
    const dates = planDates(clock.now(), deps.horizonDays, zone)
    const touched = scope.dates === 'all' ? dates : dates.filter((d) => scope.dates.includes(d))
    if (touched.length === 0) {
      log.debug({ reason }, 'change outside the plans: nothing to re-plan')
      return { changed: [], considered: 0 }
    }
    const inputs = inputsFor(dates)
    const resolved = resolveDates(inputs, dates, zone)
    const resolution: Resolution = { dates, resolved, groups: new Map(), prepared: new Map() }
    latest = resolution
    const index = indexResolution(dates, resolved)
    deps.ledger?.recordDates(dates, inputs, resolved)
    const zones =
      scope.nodes === 'all'
        ? 'all'
        : narrowZones(scope.zones, changedZones(published, index, touched))
    const current = repos.plans.versions()
    const nodes = repos.nodes.list().filter((n) => !n.retiredAt)
    const sent: Promise<void>[] = []
    const changedIds: string[] = []
    let considered = 0
    try {
      for (let from = 0; from < nodes.length; from += SLICE_NODES) {
        if (from > 0) await nextTurn()
        const changed: { nodeId: string; group: Group }[] = []
        for (const node of nodes.slice(from, from + SLICE_NODES)) {
          const target = planNode(node)
          if (zones !== 'all' && !target.zoneIds.some((z) => zones.has(z))) continue
          considered++
          const group = groupPlan(resolution, target)
          if (current.get(node.id) === group.message.version) continue
          changed.push({ nodeId: node.id, group })
        }
        if (changed.length === 0) continue
        repos.plans.putMany(
          changed.map(({ nodeId, group: { prepared } }) => ({
            nodeId,
            version: prepared.version,
            body: prepared.body,
            generatedAt: prepared.generatedAt,
            audio: prepared.audio,
          })),
        )
        deps.ledger?.recordPlans(
          changed.map(({ nodeId, group }) => ({
            message: { ...group.message, nodeId },
            items: group.items,
          })),
        )
        // Online now, after the store: a node whose birth came earlier gets its plan here, one
        // whose birth comes later is answered from the store by the handshake.
        for (const { nodeId } of changed) {
          changedIds.push(nodeId)
          if (repos.nodes.isOnline(nodeId)) sent.push(sends.request(nodeId))
        }
      }
      published = index
      const builtMs = Math.round(performance.now() - began)
      const results = await Promise.allSettled(sent)
      const failed = results.filter((r) => r.status === 'rejected').length
      log.info(
        {
          reason,
          nodes: nodes.length,
          considered,
          changed: changedIds.length,
          failed,
          // Built and stored (every slice), then every plan acknowledged by the broker.
          builtMs,
          sentMs: Math.round(performance.now() - began),
        },
        'plans refreshed',
      )
    } finally {
      // A pass that failed midway still waits for what it handed to the queue.
      await Promise.allSettled(sent)
    }
    return { changed: changedIds, considered }
  }

  /** Recomputes every active node's plan (at start and at the day boundary). */
  function refreshAll(reason: string): Promise<{ changed: string[]; considered: number }> {
    return refresh(reason, FULL_SCOPE)
  }

  /** The plan a node should hold now, computing it if it was never computed. */
  function currentPlan(nodeId: string): PlanMessage | null {
    const stored = repos.plans.get(nodeId)
    if (stored) return JSON.parse(stored.body) as PlanMessage
    const node = repos.nodes.get(nodeId)
    if (!node || node.retiredAt) return null
    const dates = planDates(clock.now(), deps.horizonDays, zone)
    // Every node of a group gets the same plan: take it from the newest resolution (a change not
    // yet re-planned then reaches this node with the re-plan: its stored version differs).
    const target = planNode(node)
    const built: Group =
      latest && latest.dates.join() === dates.join()
        ? groupPlan(latest, target)
        : prepareBuilt(buildMessage(target, dates, resolveDates(inputsFor(dates), dates, zone)))
    const message = { ...built.message, nodeId }
    const { prepared } = built
    repos.plans.putMany([
      {
        nodeId,
        version: message.version,
        body: prepared.body,
        generatedAt: message.generatedAt,
        audio: prepared.audio,
      },
    ])
    deps.ledger?.recordPlans([{ message, items: built.items }])
    return message
  }

  /**
   * Version handshake: a node announced the version it holds; send ours when it differs. Only the
   * stored version is read for that (no plan body), and the send waits for its turn in the queue.
   */
  async function onBirth(nodeId: string, heldVersion: string | null, digestSig = false) {
    if (digestSig) digestSigned.add(nodeId)
    else digestSigned.delete(nodeId)
    const version = repos.plans.head(nodeId)?.version ?? currentPlan(nodeId)?.version
    if (version === undefined || version === heldVersion) return
    log.info({ nodeId, held: heldVersion, current: version }, 'node holds an old plan')
    await sends.request(nodeId)
  }

  return { refresh, refreshAll, onBirth, currentPlan, sendStats: sends.stats }
}

/** The plan publisher service. */
export type PlanPublisher = ReturnType<typeof createPlanPublisher>
