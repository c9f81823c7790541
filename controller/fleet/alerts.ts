import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { ChorusError } from '../errors.js'
import type { CancelTimer, Clock, EventBus, PlayReported } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import {
  ALERT_RULES,
  type AlertKind,
  allConditions,
  type Condition,
  type FailedPlays,
  playFailedCondition,
  readRules,
} from './alert-conditions.js'
import type { Incidents } from './incidents.js'
import type { NodeHealth } from './node-health.js'
import type { AlertRecord } from './repositories/alerts-repository.js'
import type { Webhook } from './webhook.js'

export { ALERT_RULES, type AlertKind } from './alert-conditions.js'

/** Events after which the periodic pass reads the fleet again (a node's row, state or health; the zone tree). */
const CHANGES = ['nodeChanged', 'transition', 'zonesChanged'] as const

/**
 * Evaluates the alert rules every `intervalMs` and on demand: opens an alert when a condition
 * starts (at most one open alert per subject), resolves it by itself when the condition clears,
 * and sends both to the web UI (bus) and the webhook. Nodes inside an incident raise no alerts of
 * their own: the incident is the alert. An alert resolved by hand stays quiet until its
 * condition has cleared once.
 */
export function createAlerts(deps: {
  repos: Pick<SharedRepositories, 'alerts' | 'nodes' | 'zones'>
  bus: EventBus
  clock: Clock
  log: Logger
  intervalMs: number
  health: NodeHealth
  incidents: Incidents
  webhook: Webhook
  isFlapping: (nodeId: string) => boolean
  zoneLineage: (zoneId: string) => string[]
  /** Why plan publication fails, while it does (the planFailed rule). */
  planFailure?: () => { message: string; since: string } | null
}) {
  const { repos } = deps
  const log = deps.log.child({ module: 'alerts' })
  const open = new Map<string, AlertRecord>()
  const silenced = new Set<string>()
  const failedPlays = new Map<string, FailedPlays>()
  // Evaluations asked for since the last pass: all of them, or only some nodes' plays.
  const nodesDue = new Set<string>()
  let fullDue = false
  const passes = { full: 0, nodes: 0, skipped: 0 }
  // Whether a periodic pass could find anything new: an event changed a node or a zone since
  // the last pass, or a condition starts by time alone (`recheckAt`). Else the tick skips the
  // whole-fleet read (issue 9).
  let changedSincePass = true
  let recheckAt = Number.POSITIVE_INFINITY
  let stopTimer: CancelTimer | null = null
  let tick: NodeJS.Immediate | null = null

  const rules = () => readRules(repos)
  const ruleMap = () => new Map(rules().map((r) => [r.kind, r]))

  /** Opens or resolves one subject's alert so that it matches `want` (undefined: no condition). */
  function settle(subject: string, want: Condition | undefined, now: string): void {
    if (!want) {
      silenced.delete(subject)
      const alert = open.get(subject)
      if (!alert) return
      open.delete(subject)
      if (repos.alerts.resolve(alert.id, now, 'auto')) {
        const resolved = { ...alert, resolvedAt: now, resolution: 'auto' as const }
        deps.webhook.send(resolved, 'resolved')
        deps.bus.emit('alertChanged', { alertId: alert.id })
      }
      return
    }
    if (open.has(subject) || silenced.has(subject)) return
    const alert: AlertRecord = {
      ...want,
      id: `al-${randomBytes(5).toString('hex')}`,
      openedAt: now,
      ackedAt: null,
      resolvedAt: null,
      resolution: null,
    }
    repos.alerts.insert(alert)
    open.set(subject, alert)
    log.warn(
      { alertId: alert.id, kind: alert.kind, nodeId: alert.nodeId, zoneId: alert.zoneId },
      alert.message,
    )
    deps.webhook.send(alert, 'opened')
    deps.bus.emit('alertChanged', { alertId: alert.id })
  }

  /** One pass over the whole fleet: every rule, every node, every zone. */
  function evaluate(): void {
    passes.full++
    fullDue = false
    changedSincePass = false
    nodesDue.clear()
    const now = new Date(deps.clock.now()).toISOString()
    const found = allConditions(deps, deps.clock.now(), ruleMap(), failedPlays)
    recheckAt = found.recheckAt
    const want = found.conditions
    for (const subject of [...open.keys()]) if (!want.has(subject)) settle(subject, undefined, now)
    for (const s of [...silenced]) if (!want.has(s)) silenced.delete(s)
    for (const [subject, c] of want) settle(subject, c, now)
  }

  /** The playFailed alerts of the nodes whose plays changed since the last pass. */
  function evaluateNodes(): void {
    passes.nodes++
    const now = new Date(deps.clock.now()).toISOString()
    const rs = ruleMap()
    const ids = [...nodesDue]
    nodesDue.clear()
    for (const nodeId of ids) {
      const node = repos.nodes.get(nodeId)
      const want = node ? playFailedCondition(node, failedPlays.get(nodeId), rs) : null
      settle(`playFailed:${nodeId}`, want ?? undefined, now)
    }
  }

  /** Runs the due evaluation once on the next turn of the event loop, however many asked. */
  function schedule(): void {
    tick ??= setImmediate(() => {
      tick = null
      try {
        if (fullDue) evaluate()
        else if (nodesDue.size > 0) evaluateNodes()
      } catch (err) {
        log.error({ err }, 'alert evaluation failed')
      }
    })
  }

  function onPlay(e: PlayReported): void {
    if (e.type === 'play.failed' && e.reason !== 'interrupted') {
      const f = failedPlays.get(e.nodeId)
      failedPlays.set(e.nodeId, {
        count: (f?.count ?? 0) + 1,
        reason: e.reason ?? '',
        itemId: e.itemId,
      })
    } else if (!(e.type === 'play.finished' && failedPlays.delete(e.nodeId))) {
      return
    }
    nodesDue.add(e.nodeId)
    schedule()
  }

  function act(id: string, what: 'ack' | 'resolve'): AlertRecord {
    const alert = repos.alerts.get(id)
    if (!alert) throw new ChorusError('ALERT_NOT_FOUND', `no alert ${id}`)
    const now = new Date(deps.clock.now()).toISOString()
    if (what === 'ack') repos.alerts.ack(id, now)
    else if (repos.alerts.resolve(id, now, 'manual')) {
      open.delete(alert.subject)
      silenced.add(alert.subject)
      if (alert.kind === 'playFailed' && alert.nodeId) failedPlays.delete(alert.nodeId)
      deps.webhook.send({ ...alert, resolvedAt: now, resolution: 'manual' }, 'resolved')
    }
    deps.bus.emit('alertChanged', { alertId: id })
    return repos.alerts.get(id) as AlertRecord
  }

  function setRule(kind: string, enabled: boolean, params: Record<string, number>) {
    if (!(kind in ALERT_RULES)) throw new ChorusError('BAD_REQUEST', `unknown alert rule ${kind}`)
    const allowed = Object.keys(ALERT_RULES[kind as AlertKind].params)
    const unknown = Object.keys(params).filter((k) => !allowed.includes(k))
    if (unknown.length > 0) {
      throw new ChorusError('BAD_REQUEST', `rule ${kind} has no parameter ${unknown.join(', ')}`)
    }
    repos.alerts.putRule(kind, enabled, { ...ALERT_RULES[kind as AlertKind].params, ...params })
    evaluate()
    return rules().find((r) => r.kind === kind)
  }

  /** The periodic pass: over the whole fleet only when something may have changed. */
  function periodic(): void {
    if (!changedSincePass && deps.clock.now() < recheckAt) {
      passes.skipped++
      return
    }
    evaluate()
  }

  const playListener = (e: PlayReported) => onPlay(e)
  const changeListener = () => {
    changedSincePass = true
  }
  const incidentListener = () => {
    fullDue = true
    schedule()
  }
  return {
    evaluate,
    rules,
    /**
     * Evaluation passes so far: over the whole fleet, over the nodes whose plays changed, and
     * periodic ones skipped because nothing had changed.
     */
    stats: () => ({
      fullPasses: passes.full,
      nodePasses: passes.nodes,
      skippedPasses: passes.skipped,
      nodesDue: nodesDue.size,
    }),
    setRule,
    ack: (id: string) => act(id, 'ack'),
    resolve: (id: string) => act(id, 'resolve'),
    start(): void {
      for (const a of repos.alerts.open()) open.set(a.subject, a)
      deps.bus.on('playReported', playListener)
      deps.bus.on('incidentChanged', incidentListener)
      deps.bus.on('planPublicationChanged', incidentListener)
      for (const e of CHANGES) deps.bus.on(e, changeListener)
      stopTimer = deps.clock.every(deps.intervalMs, () => {
        try {
          periodic()
        } catch (err) {
          log.error({ err }, 'alert evaluation failed')
        }
      })
    },
    stop(): void {
      stopTimer?.()
      stopTimer = null
      if (tick) clearImmediate(tick)
      tick = null
      deps.bus.off('playReported', playListener)
      deps.bus.off('incidentChanged', incidentListener)
      deps.bus.off('planPublicationChanged', incidentListener)
      for (const e of CHANGES) deps.bus.off(e, changeListener)
    },
  }
}

/** The alerts service. */
export type Alerts = ReturnType<typeof createAlerts>
