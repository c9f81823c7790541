import type { NodeRecord } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { Incidents } from './incidents.js'
import type { NodeHealth } from './node-health.js'
import type { AlertRecord } from './repositories/alerts-repository.js'

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
  repos: Pick<SharedRepositories, 'alerts' | 'nodes' | 'zones'>
  health: NodeHealth
  incidents: Incidents
  isFlapping: (nodeId: string) => boolean
  zoneLineage: (zoneId: string) => string[]
  /** Why plan publication fails, while it does. */
  planFailure?: () => { message: string; since: string } | null
}

/** The rules as configured, every kind in catalogue order. */
export function readRules(repos: Pick<SharedRepositories, 'alerts' | 'nodes' | 'zones'>): Rule[] {
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

/** What a condition says about its subject (kind, subject and defaults are filled in). */
type Said = Partial<Condition> & { message: string }

/** What a per-node condition reads about one node that raises alerts. */
interface NodeFacts {
  n: NodeRecord
  now: number
  inIncident: boolean
  flapping: boolean
  failed: FailedPlays | undefined
  health: NodeHealth
}

/** What a fleet-wide condition reads, once per pass, after every node was seen. */
interface FleetFacts {
  repos: Pick<SharedRepositories, 'alerts' | 'nodes' | 'zones'>
  incidents: Incidents
  /** Per zone, its nodes and offline nodes, counting every zone below it. */
  zoneTotals: ReadonlyMap<string, { total: number; offline: number }>
  lineageOf: (zoneId: string) => string[]
  /** Plan publication's failure, while it lasts. */
  planFailure: { message: string; since: string } | null
}

/** A rule's parameter as configured (0 when unset). */
type Param = (key: string) => number

/**
 * One alert condition: when it holds and what it then says, per node or once for the fleet.
 * Passes evaluate the rows in this order (the order in which alerts open).
 */
export type ConditionRow =
  | {
      kind: AlertKind
      per: 'node'
      check: (f: NodeFacts, p: Param) => Said | null
      /**
       * When a condition that `check` did not find starts by time alone, nothing else changing
       * (epoch ms), or null: it waits for an event (lets a quiet tick skip the nodes table).
       */
      startsAt?: (f: NodeFacts, p: Param) => number | null
    }
  | { kind: AlertKind; per: 'fleet'; check: (f: FleetFacts, p: Param) => [string, Said][] }

export const CONDITIONS: readonly ConditionRow[] = [
  {
    kind: 'nodeFlapping',
    per: 'node',
    check: ({ n, flapping }) =>
      flapping ? { nodeId: n.id, zoneId: n.zoneId, message: `${n.name} is flapping` } : null,
  },
  {
    kind: 'nodeOffline',
    per: 'node',
    check: ({ n, now, inIncident, flapping }, p) => {
      const since = n.stateSince ? Date.parse(n.stateSince) : now
      const mins = (now - since) / 60_000
      if (n.online || inIncident || flapping || mins < p('minutes')) return null
      return {
        nodeId: n.id,
        zoneId: n.zoneId,
        message: `${n.name} offline for ${Math.floor(mins)} min`,
        params: { since: n.stateSince ?? '' },
      }
    },
    startsAt: ({ n, now, inIncident, flapping }, p) =>
      n.online || inIncident || flapping
        ? null
        : (n.stateSince ? Date.parse(n.stateSince) : now) + p('minutes') * 60_000,
  },
  {
    kind: 'nodeDegraded',
    per: 'node',
    check: ({ n, now, health }, p) => {
      const degradedAt = health.degradedSince(n.id)
      if (!n.online || degradedAt === null || (now - degradedAt) / 60_000 < p('minutes')) {
        return null
      }
      const why = health.reasonsOf(n.id)
      return {
        nodeId: n.id,
        zoneId: n.zoneId,
        message: `${n.name} degraded: ${why.map((r) => r.message).join('; ')}`,
        params: { reasons: why.map((r) => r.code).join(',') },
      }
    },
    startsAt: ({ n, health }, p) => {
      const degradedAt = health.degradedSince(n.id)
      return !n.online || degradedAt === null ? null : degradedAt + p('minutes') * 60_000
    },
  },
  { kind: 'playFailed', per: 'node', check: ({ n, failed }) => playFailedSays(n, failed) },
  {
    kind: 'zoneOffline',
    per: 'fleet',
    check: ({ repos, zoneTotals, lineageOf }, p) => {
      const crossed = new Set<string>()
      for (const [zoneId, t] of zoneTotals) {
        if (t.total >= p('minNodes') && (t.offline / t.total) * 100 > p('percent')) {
          crossed.add(zoneId)
        }
      }
      // Report the highest zone that crossed the threshold, not each zone below it.
      const highest = [...crossed].filter(
        (z) =>
          !lineageOf(z)
            .slice(1)
            .some((a) => crossed.has(a)),
      )
      return highest.flatMap((zoneId): [string, Said][] => {
        const t = zoneTotals.get(zoneId)
        if (!t) return []
        const zone = repos.zones.get(zoneId)
        const message = `${zone?.name ?? zoneId}: ${t.offline} of ${t.total} nodes offline`
        return [[zoneId, { zoneId, message, params: { offline: t.offline, total: t.total } }]]
      })
    },
  },
  {
    kind: 'planFailed',
    per: 'fleet',
    check: ({ planFailure }) =>
      planFailure
        ? [
            [
              'publication',
              {
                message: `plans cannot be built or published: ${planFailure.message}`,
                params: { since: planFailure.since },
              },
            ],
          ]
        : [],
  },
  {
    kind: 'incident',
    per: 'fleet',
    check: ({ repos, incidents }) =>
      incidents.openIncidents().map((i) => {
        const zone = i.zoneId ? repos.zones.get(i.zoneId) : null
        const where = `${i.cause}${zone ? `, ${zone.name}` : ''}`
        return [
          i.id,
          {
            incidentId: i.id,
            zoneId: i.zoneId,
            message: `${i.nodeIds.length} nodes dropped at once (${where})`,
            params: { cause: i.cause, nodes: i.nodeIds.length },
          },
        ]
      }),
  },
]

const param = (rules: Map<AlertKind, Rule>, kind: AlertKind) => (key: string) =>
  rules.get(kind)?.params[key] ?? 0

function playFailedSays(n: NodeRecord, failed: FailedPlays | undefined): Said | null {
  if (!failed) return null
  return {
    nodeId: n.id,
    zoneId: n.zoneId,
    message: `${n.name}: ${failed.count} play(s) failed (${failed.reason})`,
    params: { count: failed.count, reason: failed.reason, itemId: failed.itemId ?? '' },
  }
}

/** The playFailed condition of one node, or null; the only condition a play event changes. */
export function playFailedCondition(
  n: NodeRecord,
  failed: FailedPlays | undefined,
  rules: Map<AlertKind, Rule>,
): Condition | null {
  if (!raisesAlerts(n) || rules.get('playFailed')?.enabled !== true) return null
  const said = playFailedSays(n, failed)
  return said ? condition('playFailed', n.id, said) : null
}

/** Every condition that holds now, by subject: one pass over the fleet. */
export function allConditions(
  deps: ConditionDeps,
  now: number,
  rules: Map<AlertKind, Rule>,
  failedPlays: ReadonlyMap<string, FailedPlays>,
): { conditions: Map<string, Condition>; recheckAt: number } {
  const { repos } = deps
  const out = new Map<string, Condition>()
  // The earliest instant a condition not found now may start by time alone.
  let recheckAt = Number.POSITIVE_INFINITY
  const active = CONDITIONS.filter((r) => rules.get(r.kind)?.enabled === true)
  const add = (kind: AlertKind, subject: string, said: Said) => {
    const made = condition(kind, subject, said)
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
    const facts: NodeFacts = {
      n,
      now,
      inIncident: deps.incidents.incidentOf(n.id) !== null,
      flapping: deps.isFlapping(n.id),
      failed: failedPlays.get(n.id),
      health: deps.health,
    }
    // Flapping ends with time, not with an event: look again at the next tick.
    if (facts.flapping) recheckAt = now
    for (const row of active) {
      if (row.per !== 'node') continue
      const said = row.check(facts, param(rules, row.kind))
      if (said) add(row.kind, n.id, said)
      else
        recheckAt = Math.min(recheckAt, row.startsAt?.(facts, param(rules, row.kind)) ?? recheckAt)
    }
  }
  const fleet: FleetFacts = {
    repos,
    incidents: deps.incidents,
    zoneTotals,
    lineageOf,
    planFailure: deps.planFailure?.() ?? null,
  }
  for (const row of active) {
    if (row.per !== 'fleet') continue
    for (const [subject, said] of row.check(fleet, param(rules, row.kind)))
      add(row.kind, subject, said)
  }
  return { conditions: out, recheckAt }
}
