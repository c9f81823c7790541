import type { Repositories } from '../repositories.js'
import type { Incidents } from './incidents.js'
import type { NodeHealth } from './node-health.js'
import type { AlertRecord } from './repositories/alerts-repository.js'
import type { NodeRecord } from './repositories/nodes-repository.js'

/** Alert rule kinds, their defaults (sized for a district of about 435 nodes) and severity. */
export const ALERT_RULES = {
  nodeOffline: { params: { minutes: 5 }, severity: 'warning' },
  zoneOffline: { params: { percent: 30, minNodes: 3 }, severity: 'critical' },
  nodeDegraded: { params: { minutes: 15 }, severity: 'warning' },
  nodeFlapping: { params: {}, severity: 'warning' },
  playFailed: { params: {}, severity: 'warning' },
  incident: { params: {}, severity: 'critical' },
  planFailed: { params: {}, severity: 'critical' },
} as const satisfies Record<string, { params: Record<string, number>; severity: string }>

/** One alert rule kind. */
export type AlertKind = keyof typeof ALERT_RULES

/** What an open alert says, before it has an id and dates. */
export type Condition = Omit<
  AlertRecord,
  'id' | 'openedAt' | 'ackedAt' | 'resolvedAt' | 'resolution'
>

/** A rule as configured: stored settings over the defaults. */
export interface Rule {
  kind: AlertKind
  enabled: boolean
  params: Record<string, number>
  severity: string
}

/** A node's failed plays since its last finished one. */
export interface FailedPlays {
  count: number
  reason: string
  itemId: string | null
}

/** What the conditions read. */
export interface ConditionDeps {
  repos: Repositories
  health: NodeHealth
  incidents: Incidents
  isFlapping: (nodeId: string) => boolean
  zoneLineage: (zoneId: string) => string[]
  /** Why plan publication fails, while it does. */
  planFailure?: () => { message: string; since: string } | null
}

/** The rules as configured, every kind in catalogue order. */
export function readRules(repos: Repositories): Rule[] {
  const stored = new Map(repos.alerts.rules().map((r) => [r.kind, r]))
  return (Object.keys(ALERT_RULES) as AlertKind[]).map((kind) => ({
    kind,
    enabled: stored.get(kind)?.enabled ?? true,
    params: { ...ALERT_RULES[kind].params, ...stored.get(kind)?.params } as Record<string, number>,
    severity: ALERT_RULES[kind].severity,
  }))
}

function condition(
  kind: AlertKind,
  subject: string,
  c: Partial<Condition> & { message: string },
): Condition {
  return {
    kind,
    subject: `${kind}:${subject}`,
    severity: ALERT_RULES[kind].severity,
    nodeId: null,
    zoneId: null,
    incidentId: null,
    params: {},
    ...c,
  }
}

/** Retired nodes, and nodes registered but never connected (not yet installed), raise none. */
export function raisesAlerts(n: NodeRecord): boolean {
  return !n.retiredAt && n.bootId !== null
}

/** The playFailed condition of one node, or null; the only condition a play event changes. */
export function playFailedCondition(
  n: NodeRecord,
  failed: FailedPlays | undefined,
  rules: Map<AlertKind, Rule>,
): Condition | null {
  if (!failed || !raisesAlerts(n) || rules.get('playFailed')?.enabled !== true) return null
  return condition('playFailed', n.id, {
    nodeId: n.id,
    zoneId: n.zoneId,
    message: `${n.name}: ${failed.count} play(s) failed (${failed.reason})`,
    params: { count: failed.count, reason: failed.reason, itemId: failed.itemId ?? '' },
  })
}

/** Every condition that holds now, by subject: one pass over the fleet. */
export function allConditions(
  deps: ConditionDeps,
  now: number,
  rules: Map<AlertKind, Rule>,
  failedPlays: ReadonlyMap<string, FailedPlays>,
): Map<string, Condition> {
  const { repos } = deps
  const out = new Map<string, Condition>()
  const on = (k: AlertKind) => rules.get(k)?.enabled === true
  const p = (k: AlertKind, key: string) => rules.get(k)?.params[key] ?? 0
  const add = (kind: AlertKind, subject: string, c: Partial<Condition> & { message: string }) => {
    const made = condition(kind, subject, c)
    out.set(made.subject, made)
  }
  const zoneTotals = new Map<string, { total: number; offline: number }>()
  const lineages = new Map<string, string[]>()
  const lineageOf = (zoneId: string) => {
    let l = lineages.get(zoneId)
    if (!l) {
      l = deps.zoneLineage(zoneId)
      lineages.set(zoneId, l)
    }
    return l
  }
  for (const n of repos.nodes.list()) {
    if (!raisesAlerts(n)) continue
    for (const z of lineageOf(n.zoneId)) {
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
    const failed = playFailedCondition(n, failedPlays.get(n.id), rules)
    if (failed) out.set(failed.subject, failed)
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
        lineageOf(zoneId)
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
  const planFailure = on('planFailed') ? deps.planFailure?.() : null
  if (planFailure) {
    add('planFailed', 'publication', {
      message: `plans cannot be built or published: ${planFailure.message}`,
      params: { since: planFailure.since },
    })
  }
  return out
}
