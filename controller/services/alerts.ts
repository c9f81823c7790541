import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { AlertRecord } from '../db/repositories/alerts-repository.js'
import type { Repositories } from '../db/repositories/index.js'
import { ChorusError } from '../errors.js'
import type { EventBus, PlayReported } from '../events.js'
import type { Clock } from '../time.js'
import type { Incidents } from './incidents.js'
import type { NodeHealth } from './node-health.js'
import type { Webhook } from './webhook.js'

/** Alert rule kinds, their defaults (sized for a district of about 435 nodes) and severity. */
export const ALERT_RULES = {
  nodeOffline: { params: { minutes: 5 }, severity: 'warning' },
  zoneOffline: { params: { percent: 30, minNodes: 3 }, severity: 'critical' },
  nodeDegraded: { params: { minutes: 15 }, severity: 'warning' },
  nodeFlapping: { params: {}, severity: 'warning' },
  playFailed: { params: {}, severity: 'warning' },
  incident: { params: {}, severity: 'critical' },
} as const satisfies Record<string, { params: Record<string, number>; severity: string }>

/** One alert rule kind. */
export type AlertKind = keyof typeof ALERT_RULES

type Condition = Omit<AlertRecord, 'id' | 'openedAt' | 'ackedAt' | 'resolvedAt' | 'resolution'>

/**
 * Evaluates the alert rules every `intervalMs` and on demand: opens an alert when a condition
 * starts (at most one open alert per subject), resolves it by itself when the condition clears,
 * and sends both to the web UI (bus) and the webhook. Nodes inside an incident raise no alerts of
 * their own: the incident is the alert. An alert resolved by hand stays quiet until its
 * condition has cleared once.
 */
export function createAlerts(deps: {
  repos: Repositories
  bus: EventBus
  clock: Clock
  log: Logger
  intervalMs: number
  health: NodeHealth
  incidents: Incidents
  webhook: Webhook
  isFlapping: (nodeId: string) => boolean
  zoneLineage: (zoneId: string) => string[]
}) {
  const { repos } = deps
  const log = deps.log.child({ module: 'alerts' })
  const open = new Map<string, AlertRecord>()
  const silenced = new Set<string>()
  const failedPlays = new Map<string, { count: number; reason: string; itemId: string | null }>()
  let timer: NodeJS.Timeout | null = null

  function rules() {
    const stored = new Map(repos.alerts.rules().map((r) => [r.kind, r]))
    return (Object.keys(ALERT_RULES) as AlertKind[]).map((kind) => ({
      kind,
      enabled: stored.get(kind)?.enabled ?? true,
      params: { ...ALERT_RULES[kind].params, ...stored.get(kind)?.params } as Record<
        string,
        number
      >,
      severity: ALERT_RULES[kind].severity,
    }))
  }

  function conditions(): Map<string, Condition> {
    const out = new Map<string, Condition>()
    const now = deps.clock.now()
    const rs = new Map(rules().map((r) => [r.kind, r]))
    const on = (k: AlertKind) => rs.get(k)?.enabled === true
    const p = (k: AlertKind, key: string) => rs.get(k)?.params[key] ?? 0
    const add = (kind: AlertKind, subject: string, c: Partial<Condition> & { message: string }) =>
      out.set(`${kind}:${subject}`, {
        kind,
        subject: `${kind}:${subject}`,
        severity: ALERT_RULES[kind].severity,
        nodeId: null,
        zoneId: null,
        incidentId: null,
        params: {},
        ...c,
      })
    const zoneTotals = new Map<string, { total: number; offline: number }>()
    for (const n of repos.nodes.list()) {
      // Retired nodes, and nodes registered but never connected (not yet installed), raise none.
      if (n.retiredAt || n.bootId === null) continue
      for (const z of deps.zoneLineage(n.zoneId)) {
        const t = zoneTotals.get(z) ?? { total: 0, offline: 0 }
        t.total++
        if (!n.online) t.offline++
        zoneTotals.set(z, t)
      }
      const inIncident = deps.incidents.incidentOf(n.id) !== null
      const flapping = deps.isFlapping(n.id)
      if (on('nodeFlapping') && flapping) {
        add('nodeFlapping', n.id, {
          nodeId: n.id,
          zoneId: n.zoneId,
          message: `${n.name} is flapping`,
        })
      }
      const since = n.stateSince ? Date.parse(n.stateSince) : now
      const mins = (now - since) / 60_000
      if (
        on('nodeOffline') &&
        !n.online &&
        !inIncident &&
        !flapping &&
        mins >= p('nodeOffline', 'minutes')
      ) {
        add('nodeOffline', n.id, {
          nodeId: n.id,
          zoneId: n.zoneId,
          message: `${n.name} offline for ${Math.floor(mins)} min`,
          params: { since: n.stateSince ?? '' },
        })
      }
      const degradedAt = deps.health.degradedSince(n.id)
      if (on('nodeDegraded') && n.online && degradedAt !== null) {
        const dm = (now - degradedAt) / 60_000
        if (dm >= p('nodeDegraded', 'minutes')) {
          const why = deps.health.reasonsOf(n.id)
          add('nodeDegraded', n.id, {
            nodeId: n.id,
            zoneId: n.zoneId,
            message: `${n.name} degraded: ${why.map((r) => r.message).join('; ')}`,
            params: { reasons: why.map((r) => r.code).join(',') },
          })
        }
      }
      const failed = failedPlays.get(n.id)
      if (on('playFailed') && failed) {
        add('playFailed', n.id, {
          nodeId: n.id,
          zoneId: n.zoneId,
          message: `${n.name}: ${failed.count} play(s) failed (${failed.reason})`,
          params: { count: failed.count, reason: failed.reason, itemId: failed.itemId ?? '' },
        })
      }
    }
    if (on('zoneOffline')) {
      const crossed = new Set<string>()
      for (const [zoneId, t] of zoneTotals) {
        if (
          t.total >= p('zoneOffline', 'minNodes') &&
          (t.offline / t.total) * 100 > p('zoneOffline', 'percent')
        ) {
          crossed.add(zoneId)
        }
      }
      for (const zoneId of crossed) {
        // Report the highest zone that crossed the threshold, not each zone below it.
        if (
          deps
            .zoneLineage(zoneId)
            .slice(1)
            .some((a) => crossed.has(a))
        )
          continue
        const t = zoneTotals.get(zoneId)
        if (!t) continue
        const zone = repos.zones.get(zoneId)
        add('zoneOffline', zoneId, {
          zoneId,
          message: `${zone?.name ?? zoneId}: ${t.offline} of ${t.total} nodes offline`,
          params: { offline: t.offline, total: t.total },
        })
      }
    }
    if (on('incident')) {
      for (const i of deps.incidents.openIncidents()) {
        const zone = i.zoneId ? repos.zones.get(i.zoneId) : null
        add('incident', i.id, {
          incidentId: i.id,
          zoneId: i.zoneId,
          message: `${i.nodeIds.length} nodes dropped at once (${i.cause}${zone ? `, ${zone.name}` : ''})`,
          params: { cause: i.cause, nodes: i.nodeIds.length },
        })
      }
    }
    return out
  }

  function evaluate(): void {
    const now = new Date(deps.clock.now()).toISOString()
    const want = conditions()
    for (const [subject, alert] of open) {
      if (want.has(subject)) continue
      open.delete(subject)
      if (repos.alerts.resolve(alert.id, now, 'auto')) {
        const resolved = { ...alert, resolvedAt: now, resolution: 'auto' as const }
        deps.webhook.send(resolved, 'resolved')
        deps.bus.emit('alertChanged', { alertId: alert.id })
      }
    }
    for (const s of silenced) if (!want.has(s)) silenced.delete(s)
    for (const [subject, c] of want) {
      if (open.has(subject) || silenced.has(subject)) continue
      const alert: AlertRecord = {
        ...c,
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
  }

  function onPlay(e: PlayReported): void {
    if (e.type === 'play.failed' && e.reason !== 'interrupted') {
      const f = failedPlays.get(e.nodeId)
      failedPlays.set(e.nodeId, {
        count: (f?.count ?? 0) + 1,
        reason: e.reason ?? '',
        itemId: e.itemId,
      })
      evaluate()
    } else if (e.type === 'play.finished' && failedPlays.delete(e.nodeId)) {
      evaluate()
    }
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

  const playListener = (e: PlayReported) => onPlay(e)
  const incidentListener = () => evaluate()
  return {
    evaluate,
    rules,
    setRule,
    ack: (id: string) => act(id, 'ack'),
    resolve: (id: string) => act(id, 'resolve'),
    start(): void {
      for (const a of repos.alerts.open()) open.set(a.subject, a)
      deps.bus.on('playReported', playListener)
      deps.bus.on('incidentChanged', incidentListener)
      timer = setInterval(() => {
        try {
          evaluate()
        } catch (err) {
          log.error({ err }, 'alert evaluation failed')
        }
      }, deps.intervalMs)
      timer.unref()
    },
    stop(): void {
      if (timer) clearInterval(timer)
      timer = null
      deps.bus.off('playReported', playListener)
      deps.bus.off('incidentChanged', incidentListener)
    },
  }
}

/** The alerts service. */
export type Alerts = ReturnType<typeof createAlerts>
