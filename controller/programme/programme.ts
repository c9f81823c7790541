import type { Logger } from 'pino'
import {
  type DayTypeInfo,
  dayTypeFor,
  type Issue,
  isValidDate,
  itemsForDate,
  orderSourceFor,
  type RunningOrderItem,
  validateDay,
} from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import { checkItemReferences, type ItemInput, validationOptions, withIds } from './order-items.js'
import { checkDayFits } from './plan-limits.js'
import { loadPlanInputs, zoneLineageOf } from './programme-inputs.js'
import type { DayOrderVersion } from './repositories/days-repository.js'
import type { Templates } from './templates.js'

export type { ItemInput } from './order-items.js'

/** An item of the day as it will play, and where it comes from. */
export type EffectiveItem = RunningOrderItem & { origin: 'template' | 'date' }

/** Whose order nodes of a zone play on a date: a zone's, the district's, or the template. */
export interface PlaysFrom {
  kind: 'zone' | 'district' | 'template'
  /** The zone whose order plays ('' for the district or the template). */
  zoneId: string
  zoneName: string | null
}

/** A date's running order with its day type, what will play, and validation issues. */
export interface DayView {
  date: string
  /** Whose order this is: a zone id, '' for the district's (issue 11). */
  zone: string
  zoneName: string | null
  /** Where what nodes of this zone play on the date comes from (drill orders included). */
  playsFrom: PlaysFrom
  mode: 'replace' | 'add'
  /** The date's own items (empty when it has no order of its own). */
  items: RunningOrderItem[]
  updatedAt: string | null
  hasOwnOrder: boolean
  drill: boolean
  dayType: DayTypeInfo
  /** Segments expected on a day of this type (the template's target). */
  targetCount: number
  /** What the date plays: its template and own order merged (on a drill day: on test nodes). */
  effective: EffectiveItem[]
  /** Issues of `effective`. */
  issues: Issue[]
}

/** Most dates one copy may write (two months). */
const MAX_COPY = 62

/**
 * Running orders of single dates: an order replaces the day's template or adds to it, and a date
 * may be a drill (its order plays on test nodes only). A save commits, announces the change on the
 * bus and answers; plan publication re-plans after, off the request path.
 */
export function createProgramme(deps: {
  repos: Pick<
    SharedRepositories,
    | 'announcements'
    | 'audio'
    | 'calendar'
    | 'columns'
    | 'days'
    | 'nodes'
    | 'officialCalendar'
    | 'templates'
    | 'zones'
  >
  bus: EventBus
  clock: Clock
  log: Logger
  templates: Templates
  quietHours: string
  /** Days after today a plan covers: bounds how many items a day may hold (plan-limits.ts). */
  horizonDays: number
}) {
  const { repos } = deps
  const log = deps.log.child({ module: 'programme' })

  function checkDate(date: string): void {
    if (!isValidDate(date)) throw new ChorusError('BAD_REQUEST', `not a date: ${date}`)
  }

  /** A zone id or code → its id; '' or absent: the district. */
  function zoneId(ref: string | undefined): string {
    if (ref === undefined || ref === '') return ''
    const zone = repos.zones.resolve(ref)
    if (!zone) throw new ChorusError('ZONE_NOT_FOUND', `no zone ${ref}`)
    return zone.id
  }

  const zoneName = (id: string) => (id === '' ? null : (repos.zones.get(id)?.name ?? null))

  /** What nodes of `zone` ('' the district) play on `date`, and whose order it is. */
  function effectiveFor(date: string, zone: string, isTest = true) {
    const inputs = loadPlanInputs(repos, date, date)
    const lineage = zone === '' ? [] : zoneLineageOf(repos, zone)
    const source = orderSourceFor(inputs, date, lineage, isTest)
    const order = source.kind === 'template' ? undefined : source.order
    const own = new Set((order?.items ?? []).map((i) => i.id))
    // The zone's day type: its nearest zone's override, else the district's (issue 11).
    const dayType = dayTypeFor(inputs, date, lineage)
    const type = dayType.type
    const opts = order ? { order, type } : { withOrder: false, type }
    const items = itemsForDate(inputs, date, opts).map((i) => ({
      ...i,
      origin: own.has(i.id) ? ('date' as const) : ('template' as const),
    }))
    const fromZone = source.kind === 'zone' ? source.zoneId : ''
    const playsFrom: PlaysFrom = {
      kind: source.kind,
      zoneId: fromZone,
      zoneName: zoneName(fromZone),
    }
    return { items, playsFrom, dayType }
  }

  function getDay(date: string, zoneRef?: string): DayView {
    checkDate(date)
    const zone = zoneId(zoneRef)
    const rec = repos.days.get<RunningOrderItem>(date, zone)
    const { items: effective, playsFrom, dayType: info } = effectiveFor(date, zone)
    const targetCount = deps.templates.targetCount(info.type)
    const audio = new Map(repos.audio.list().map((a) => [a.id, a]))
    const options = { ...validationOptions(repos, deps.quietHours), targetCount }
    return {
      date,
      zone,
      zoneName: zoneName(zone),
      playsFrom,
      mode: rec?.mode ?? 'replace',
      items: rec?.items ?? [],
      updatedAt: rec?.updatedAt ?? null,
      hasOwnOrder: rec !== null,
      drill: rec?.drill === true,
      dayType: info,
      targetCount,
      effective,
      issues: validateDay(effective, audio, options),
    }
  }

  /**
   * Saves a date's own order. Unknown audio, columns or zones and duplicate ids are refused
   * (DAY_INVALID); other issues are saved and shown, so an editor can work step by step.
   */
  async function putDay(
    date: string,
    input: { items: readonly ItemInput[]; mode?: 'replace' | 'add'; drill?: boolean },
    by = 'system',
    zoneRef?: string,
  ): Promise<DayView> {
    checkDate(date)
    const zone = zoneId(zoneRef)
    const items = withIds(input.items)
    checkItemReferences(repos, items, 'DAY_INVALID')
    const audio = new Map(repos.audio.list().map((a) => [a.id, a]))
    const errors = validateDay(items, audio, {}).filter((i) => i.code === 'DUPLICATE_ID')
    if (errors.length > 0) {
      throw new ChorusError('DAY_INVALID', errors.map((e) => e.message).join('; '), {
        details: errors,
      })
    }
    const mode = input.mode ?? 'replace'
    const one = loadPlanInputs(repos, date, date)
    const type = dayTypeFor(one, date, zone === '' ? [] : zoneLineageOf(repos, zone)).type
    const fromTemplate = mode === 'add' ? (repos.templates.get(type)?.items.length ?? 0) : 0
    checkDayFits(
      fromTemplate + items.length,
      deps.horizonDays,
      'DAY_INVALID',
      `the order of ${date}`,
    )
    const old = repos.days.get(date, zone)
    repos.days.put(
      {
        zoneId: zone,
        date,
        mode: input.mode ?? 'replace',
        items,
        updatedAt: new Date(deps.clock.now()).toISOString(),
        drill: input.drill ?? old?.drill ?? false,
      },
      by,
    )
    log.info(
      { date, zone, items: items.length, mode: input.mode ?? 'replace' },
      'running order saved',
    )
    changed(date, zone, 'changed')
    return getDay(date, zone)
  }

  /** Re-plans a date: a zone's order reaches only the nodes of its subtree. */
  function changed(date: string, zone: string, what: string): void {
    deps.bus.emit('programmeChanged', {
      what: 'day',
      dates: [date],
      zones: zone === '' ? 'all' : [zone],
      reason: `day ${date}${zone ? ` of zone ${zone}` : ''} ${what}`,
    })
  }

  /** Removes a date's own order: the date plays its template again. */
  async function deleteDay(date: string, by = 'system', zoneRef?: string): Promise<DayView> {
    checkDate(date)
    const zone = zoneId(zoneRef)
    if (repos.days.remove(date, new Date(deps.clock.now()).toISOString(), by, zone)) {
      log.info({ date, zone }, 'running order removed')
      changed(date, zone, 'removed')
    }
    return getDay(date, zone)
  }

  /** A date's saved versions, newest first (who saved each, when, and what). */
  function versions(date: string, zoneRef?: string): DayOrderVersion<RunningOrderItem>[] {
    checkDate(date)
    return repos.days.versions<RunningOrderItem>(date, zoneId(zoneRef))
  }

  /**
   * Restores a saved version of a date as a new version (history is never rewritten); a version
   * that removed the order removes it again.
   */
  async function restore(
    date: string,
    version: number,
    by: string,
    zoneRef?: string,
  ): Promise<DayView> {
    checkDate(date)
    const zone = zoneId(zoneRef)
    const v = repos.days.version<RunningOrderItem>(date, version, zone)
    if (!v) throw new ChorusError('DAY_NOT_FOUND', `${date} has no version ${version}`)
    if (v.deleted) return deleteDay(date, by, zone)
    log.info({ date, zone, version, by }, 'running order version restored')
    return putDay(date, { items: v.items, mode: v.mode, drill: v.drill }, by, zone)
  }

  /**
   * Copies running orders: each pair's source (a date's order as it plays, or a template:
   * 'template:working' / 'template:rest') becomes the target date's own order. A week is seven
   * pairs. All sources are read before any target is written.
   */
  async function copy(
    pairs: readonly { from: string; to: string }[],
    by: string,
    zoneRef?: string,
  ) {
    const zone = zoneId(zoneRef)
    if (pairs.length === 0 || pairs.length > MAX_COPY) {
      throw new ChorusError('BAD_REQUEST', `copy 1 to ${MAX_COPY} dates at once`)
    }
    const sources = pairs.map(({ from, to }) => {
      checkDate(to)
      if (from === 'template:working' || from === 'template:rest') {
        const type = from === 'template:working' ? 'working' : 'rest'
        return { to, items: deps.templates.get(type).items, mode: 'replace' as const, drill: false }
      }
      checkDate(from)
      if (from === to) throw new ChorusError('BAD_REQUEST', `${from} cannot be copied onto itself`)
      const own = repos.days.get<RunningOrderItem>(from, zone)
      // A date without its own order plays another's or its template: copy what it plays.
      const items = own ? own.items : getDay(from, zone).effective.map(({ origin: _o, ...i }) => i)
      return { to, items, mode: own?.mode ?? ('replace' as const), drill: own?.drill === true }
    })
    const days: DayView[] = []
    for (const s of sources) {
      days.push(await putDay(s.to, { items: s.items, mode: s.mode, drill: s.drill }, by, zone))
    }
    log.info({ count: days.length, zone, by }, 'running orders copied')
    return days
  }

  /**
   * Which order a zone's (or a node's) regular nodes actually play on `date`, where it comes
   * from, and its items: the nearest zone with an own order, else the district's, else the
   * template (a drill order plays on test nodes only, so it is not what they play).
   */
  function effective(date: string, ref: { zone?: string; node?: string }) {
    checkDate(date)
    let zone = zoneId(ref.zone)
    let isTest = false
    if (ref.node !== undefined) {
      const node = repos.nodes.get(ref.node)
      if (!node) throw new ChorusError('NODE_NOT_FOUND', `no node ${ref.node}`)
      zone = node.zoneId
      isTest = node.isTest
    }
    const { items, playsFrom, dayType } = effectiveFor(date, zone, isTest)
    return { date, zone, zoneName: zoneName(zone), playsFrom, items, dayType }
  }

  return { getDay, putDay, deleteDay, versions, restore, copy, effective }
}

/** The programme service. */
export type Programme = ReturnType<typeof createProgramme>
