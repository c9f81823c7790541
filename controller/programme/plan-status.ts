import type { PlanMessage } from '../../protocol/index.js'
import { addDays, instantToLocalDate, planDates } from '../../schedules/index.js'
import type { Clock } from '../platform/index.js'
import type { NodeRecord } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'

/** How many nodes hold the current version, overall or for one date. */
export interface Currency {
  current: number
  total: number
}

/** A node that does not (yet) hold its current plan. */
export interface OutdatedNode {
  nodeId: string
  name: string
  online: boolean
  appliedVersion: string | null
  currentVersion: string
}

/** One node not ready for a date, and what it would miss. */
export interface NotReadyNode {
  nodeId: string
  name: string
  zoneId: string
  online: boolean
  /** `missing`: files not in its cache; `outdatedPlan`: it does not hold this date's current
   * plan yet; `noReport`: it never reported readiness. */
  reason: 'missing' | 'outdatedPlan' | 'noReport'
  missing: { itemId: string; title: string; audioId: string }[]
}

/** Readiness of the fleet for one date. */
export interface ReadinessView {
  date: string
  ready: number
  total: number
  notReady: NotReadyNode[]
}

/** Whether a zone is within the caller's reach (a user limited to zones). */
type Reach = (zoneId: string) => boolean

const OUTDATED_LIST_MAX = 100

/**
 * Plan currency and readiness, from what nodes reported: the plan version each applied, the
 * per-date digests of every version each was given, and each node's latest readiness report.
 */
export function createPlanStatus(deps: {
  repos: Pick<SharedRepositories, 'nodes' | 'plans' | 'programme'>
  clock: Clock
  tz: string
  horizonDays: number
}) {
  const { repos } = deps

  /** Active nodes with their plans, in the zones `reach` accepts (all without it). */
  function activeWithPlans(reach?: Reach): { node: NodeRecord; plan: PlanMessage }[] {
    const out: { node: NodeRecord; plan: PlanMessage }[] = []
    for (const node of repos.nodes.list()) {
      if (node.retiredAt || (reach && !reach(node.zoneId))) continue
      const stored = repos.plans.get(node.id)
      if (stored) out.push({ node, plan: JSON.parse(stored.body) as PlanMessage })
    }
    return out
  }

  /**
   * Per date of the horizon and overall: nodes whose applied plan is current; with `reach`, of
   * the nodes in the zones it accepts only (a user limited to zones).
   */
  function status(reach?: Reach) {
    const dates = planDates(deps.clock.now(), deps.horizonDays, deps.tz)
    // Versions only, from one query (issue 9: neither plan bodies nor every node's full record);
    // the per-date digests of a version are read only for the nodes that lag.
    const nodes = repos.plans.currency().filter((n) => !reach || reach(n.zoneId))
    const digests = new Map<string, Record<string, string> | undefined>()
    const digestsOf = (nodeId: string, version: string) => {
      const key = `${nodeId} ${version}`
      if (!digests.has(key)) digests.set(key, repos.programme.digestsOf(nodeId, version))
      return digests.get(key)
    }
    const perDate = new Map(dates.map((d) => [d, { date: d, current: 0, total: 0 }]))
    const overall: Currency = { current: 0, total: nodes.length }
    const outdated: OutdatedNode[] = []
    for (const node of nodes) {
      const applied = node.appliedPlanVersion
      const current = applied === node.version
      if (current) overall.current++
      else if (outdated.length < OUTDATED_LIST_MAX) {
        outdated.push({
          nodeId: node.id,
          name: node.name,
          online: node.online,
          appliedVersion: applied,
          currentVersion: node.version,
        })
      }
      // A node that applied no plan yet holds no date of it: no digest to compare.
      const compare = !current && applied !== null
      const want = compare ? digestsOf(node.id, node.version) : undefined
      const held = compare ? digestsOf(node.id, applied) : undefined
      for (const [date, row] of perDate) {
        row.total++
        if (current || (want?.[date] && want[date] === held?.[date])) row.current++
      }
    }
    return {
      generatedAt: new Date(deps.clock.now()).toISOString(),
      overall,
      dates: [...perDate.values()],
      outdated,
    }
  }

  /**
   * Which nodes hold every file `date` needs (default: tomorrow), and what the others miss; with
   * `reach`, of the nodes in the zones it accepts only.
   */
  function readiness(date?: string, reach?: Reach): ReadinessView {
    const day = date ?? addDays(instantToLocalDate(deps.clock.now(), deps.tz), 1)
    const reports = repos.programme.allReadiness()
    const digests = repos.programme.allDigests()
    const nodes = activeWithPlans(reach)
    const notReady: NotReadyNode[] = []
    for (const { node, plan } of nodes) {
      const items = plan.items.filter((i) => i.itemId.startsWith(`${day}/`))
      if (items.length === 0) continue
      const entry = (reason: NotReadyNode['reason'], ids: readonly string[] | null) => {
        const wanted = ids === null ? items : items.filter((i) => ids.includes(i.itemId))
        notReady.push({
          nodeId: node.id,
          name: node.name,
          zoneId: node.zoneId,
          online: node.online,
          reason,
          missing: wanted.map((i) => ({ itemId: i.itemId, title: i.title, audioId: i.audioId })),
        })
      }
      const report = reports.get(node.id)
      if (!report) {
        entry('noReport', null)
        continue
      }
      const sameDay =
        report.planVersion === plan.version ||
        (digests.get(`${node.id} ${plan.version}`)?.[day] ?? 'x') ===
          (digests.get(`${node.id} ${report.planVersion}`)?.[day] ?? 'y')
      const forDay = report.dates.find((d) => d.date === day)
      if (!sameDay || !forDay) entry('outdatedPlan', null)
      else if (!forDay.ready) entry('missing', forDay.missing)
    }
    return { date: day, ready: nodes.length - notReady.length, total: nodes.length, notReady }
  }

  return { status, readiness }
}

/** The plan status service. */
export type PlanStatus = ReturnType<typeof createPlanStatus>
