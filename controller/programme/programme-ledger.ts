import type { PlanMessage } from '../../protocol/index.js'
import {
  dayType,
  type PlanInputs,
  type PlanItem,
  planDayDigests,
  type ResolvedItem,
  zoneDayTypesOn,
} from '../../schedules/index.js'
import type { Clock, EventBus } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'

/** Item id of an announcement in plans: `${date}/ann-${announcementId}`. */
const ANNOUNCEMENT_ITEM = /^\d{4}-\d{2}-\d{2}\/ann-(.+)$/

/** The announcement id of a plan item id, or null for a scheduled segment. */
export function announcementIdOf(itemId: string): string | null {
  return ANNOUNCEMENT_ITEM.exec(itemId)?.[1] ?? null
}

/**
 * Keeps the records the plan publisher leaves behind for the office: what the district was to
 * play on each date (for proof-of-play reports), the per-date digests of every plan version a
 * node was given (for per-date currency), and which plan version carries each announcement to
 * each node (for delivery tracking).
 */
export function createProgrammeLedger(deps: {
  repos: Pick<SharedRepositories, 'announcements' | 'programme'>
  bus: EventBus
  clock: Clock
}) {
  const { repos } = deps
  const iso = () => new Date(deps.clock.now()).toISOString()

  return {
    /**
     * The district's resolution of `dates`, as published now, with the district's day type and
     * the day types of zones with their own calendar override (their nodes' reports use them).
     */
    recordDates(dates: readonly string[], inputs: PlanInputs, resolved: readonly ResolvedItem[]) {
      const at = iso()
      repos.programme.putDates(
        dates.map((date) => ({
          date,
          dayType: dayType(date, inputs.dayTypes, inputs.officialDays).type,
          zoneDayTypes: zoneDayTypesOn(inputs, date),
          items: resolved.filter((r) => r.date === date),
          updatedAt: at,
        })),
      )
    },

    /** New plan versions given to nodes, with the items each carries. */
    recordPlans(plans: readonly { message: PlanMessage; items: readonly PlanItem[] }[]): void {
      const deliveries: [string, string, string][] = []
      const touched = new Set<string>()
      // Nodes of one group share their items (one array): their day digests are computed once.
      const digests = new Map<readonly PlanItem[], Record<string, string>>()
      const digestsOf = (items: readonly PlanItem[], dates: readonly string[]) => {
        let d = digests.get(items)
        if (!d) {
          d = planDayDigests(items, dates)
          digests.set(items, d)
        }
        return d
      }
      repos.programme.putDigests(
        plans.map(({ message, items }) => {
          for (const item of items) {
            const annId = announcementIdOf(item.itemId)
            if (annId === null) continue
            deliveries.push([annId, message.nodeId, message.version])
            touched.add(annId)
          }
          return {
            nodeId: message.nodeId,
            version: message.version,
            dayDigests: digestsOf(items, message.dates),
            generatedAt: iso(),
          }
        }),
      )
      if (deliveries.length > 0) repos.announcements.putDeliveries(deliveries)
      for (const announcementId of touched) deps.bus.emit('announcementChanged', { announcementId })
    },

    /** A plan went out to its node (`announces`: an announcement is among its items). */
    onSent(sent: { nodeId: string; version: string; announces: boolean }): void {
      if (sent.announces) repos.announcements.markSent(sent.nodeId, sent.version, iso())
    },
  }
}

/** The programme ledger. */
export type ProgrammeLedger = ReturnType<typeof createProgrammeLedger>
