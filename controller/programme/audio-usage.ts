import { itemsForDate, type RunningOrderItem } from '../../schedules/index.js'
import { loadPlanInputs, type PlanInputRepos } from './programme-inputs.js'

/** Where a recording is used by the current or future programme. */
export interface AudioUsage {
  /** Templates whose items play it. */
  templates: ('working' | 'rest')[]
  /** Dates from today on that play it (through their own order, their template, or an announcement). */
  dates: string[]
  /** Announcements from today on, not cancelled, that play it. */
  announcements: { id: string; title: string; date: string }[]
  /** Dates' own running orders from today on that name it: the district's (zone null) or a zone's. */
  orders: { date: string; zoneId: string | null; zoneName: string | null }[]
  /** For a user limited to zones: other zones' orders and announcements using it, counted. */
  elsewhere?: number
}

/**
 * Where `audioId` is used from today on: templates, dates within `horizon` whose running order
 * (their own or their template) plays it, dates beyond it with an own order naming it, and
 * announcements. Empty lists mean it may be deleted.
 */
export function audioUsage(
  repos: PlanInputRepos,
  audioId: string,
  horizon: readonly string[],
): AudioUsage {
  const uses = (items: readonly RunningOrderItem[]) => items.some((i) => i.audioId === audioId)
  const templates = (['working', 'rest'] as const).filter((t) =>
    uses(repos.templates.get<RunningOrderItem>(t)?.items ?? []),
  )
  const today = horizon[0] ?? ''
  const inputs = loadPlanInputs(repos, today, horizon[horizon.length - 1] ?? today)
  const dates = new Set(horizon.filter((d) => uses(itemsForDate(inputs, d))))
  // Every own order, the district's and each zone's (a zone's plays in its subtree).
  const orders = repos.days.ordersUsingAudio(audioId, today).map(({ date, zoneId }) => ({
    date,
    zoneId: zoneId === '' ? null : zoneId,
    zoneName: zoneId === '' ? null : (repos.zones.get(zoneId)?.name ?? zoneId),
  }))
  for (const o of orders) dates.add(o.date)
  const announcements = repos.announcements
    .usingAudio(audioId, today)
    .map((a) => ({ id: a.id, title: a.title, date: a.date }))
  for (const a of announcements) dates.add(a.date)
  return { templates, dates: [...dates].sort(), announcements, orders }
}

/**
 * The usage a user limited to zones may see (分级管理): the district's orders and those of zones
 * it `sees` (its own, below and above them), announcements into those or district-wide; the rest
 * only counted in `elsewhere`. Dates stay (they name no zone).
 */
export function usageWithin(
  u: AudioUsage,
  sees: (zoneId: string) => boolean,
  announcementZones: (id: string) => readonly string[] | null,
): AudioUsage {
  const orders = u.orders.filter((o) => o.zoneId === null || sees(o.zoneId))
  const announcements = u.announcements.filter((a) => {
    const zones = announcementZones(a.id) ?? []
    return zones.length === 0 || zones.some(sees)
  })
  const elsewhere =
    u.orders.length - orders.length + (u.announcements.length - announcements.length)
  return { ...u, orders, announcements, elsewhere }
}

/** True when nothing of the current or future programme uses the recording. */
export function isUnused(u: AudioUsage): boolean {
  return u.templates.length === 0 && u.dates.length === 0 && u.announcements.length === 0
}

/** A sentence naming where a recording is used, for the 409 answer. */
export function describeUsage(title: string, u: AudioUsage): string {
  const parts: string[] = []
  for (const t of u.templates) {
    parts.push(`the ${t === 'working' ? 'working-day' : 'rest-day'} template`)
  }
  if (u.announcements.length > 0) {
    const list = u.announcements.map((a) => `"${a.title}" (${a.date})`).join(', ')
    parts.push(`the announcements ${list}`)
  }
  const zoned = u.orders.filter((o) => o.zoneId !== null)
  if (zoned.length > 0) {
    parts.push(`the zones' orders ${zoned.map((o) => `${o.zoneName} (${o.date})`).join(', ')}`)
  }
  if (u.dates.length > 0) parts.push(`the programme of ${u.dates.join(', ')}`)
  if (u.elsewhere) parts.push(`${u.elsewhere} orders or announcements of other zones`)
  return `"${title}" is still used by ${parts.join('; ')}`
}
