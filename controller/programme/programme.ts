import type { Logger } from 'pino'
import {
  type DayTypeInfo,
  dayType,
  type Issue,
  isValidDate,
  itemsForDate,
  type RunningOrderItem,
  validateDay,
} from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { EventBus } from '../platform/events.js'
import type { Clock } from '../platform/time.js'
import type { Repositories } from '../repositories.js'
import { checkItemReferences, type ItemInput, validationOptions, withIds } from './order-items.js'
import { checkDayFits } from './plan-limits.js'
import { loadPlanInputs } from './programme-inputs.js'
import type { DayOrderVersion } from './repositories/days-repository.js'
import type { Templates } from './templates.js'

export type { ItemInput } from './order-items.js'

/** An item of the day as it will play, and where it comes from. */
export type EffectiveItem = RunningOrderItem & { origin: 'template' | 'date' }

/** A date's running order with its day type, what will play, and validation issues. */
export interface DayView {
  date: string
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
  repos: Repositories
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

  function getDay(date: string): DayView {
    checkDate(date)
    const rec = repos.days.get<RunningOrderItem>(date)
    const inputs = loadPlanInputs(repos, date, date)
    const info = dayType(date, inputs.dayTypes, inputs.officialDays)
    const own = new Set((rec?.items ?? []).map((i) => i.id))
    const effective = itemsForDate(inputs, date).map((i) => ({
      ...i,
      origin: own.has(i.id) ? ('date' as const) : ('template' as const),
    }))
    const targetCount = deps.templates.targetCount(info.type)
    const audio = new Map(repos.audio.list().map((a) => [a.id, a]))
    const options = { ...validationOptions(repos, deps.quietHours), targetCount }
    return {
      date,
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
  ): Promise<DayView> {
    checkDate(date)
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
    const type = dayType(date, one.dayTypes, one.officialDays).type
    const fromTemplate = mode === 'add' ? (repos.templates.get(type)?.items.length ?? 0) : 0
    checkDayFits(
      fromTemplate + items.length,
      deps.horizonDays,
      'DAY_INVALID',
      `the order of ${date}`,
    )
    const old = repos.days.get(date)
    repos.days.put(
      {
        date,
        mode: input.mode ?? 'replace',
        items,
        updatedAt: new Date(deps.clock.now()).toISOString(),
        drill: input.drill ?? old?.drill ?? false,
      },
      by,
    )
    log.info({ date, items: items.length, mode: input.mode ?? 'replace' }, 'running order saved')
    deps.bus.emit('programmeChanged', {
      what: 'day',
      dates: [date],
      zones: 'all',
      reason: `day ${date} changed`,
    })
    return getDay(date)
  }

  /** Removes a date's own order: the date plays its template again. */
  async function deleteDay(date: string, by = 'system'): Promise<DayView> {
    checkDate(date)
    if (repos.days.remove(date, new Date(deps.clock.now()).toISOString(), by)) {
      log.info({ date }, 'running order removed')
      deps.bus.emit('programmeChanged', {
        what: 'day',
        dates: [date],
        zones: 'all',
        reason: `day ${date} removed`,
      })
    }
    return getDay(date)
  }

  /** A date's saved versions, newest first (who saved each, when, and what). */
  function versions(date: string): DayOrderVersion<RunningOrderItem>[] {
    checkDate(date)
    return repos.days.versions<RunningOrderItem>(date)
  }

  /**
   * Restores a saved version of a date as a new version (history is never rewritten); a version
   * that removed the order removes it again.
   */
  async function restore(date: string, version: number, by: string): Promise<DayView> {
    checkDate(date)
    const v = repos.days.version<RunningOrderItem>(date, version)
    if (!v) throw new ChorusError('DAY_NOT_FOUND', `${date} has no version ${version}`)
    if (v.deleted) return deleteDay(date, by)
    log.info({ date, version, by }, 'running order version restored')
    return putDay(date, { items: v.items, mode: v.mode, drill: v.drill }, by)
  }

  /**
   * Copies running orders: each pair's source (a date's order as it plays, or a template:
   * 'template:working' / 'template:rest') becomes the target date's own order. A week is seven
   * pairs. All sources are read before any target is written.
   */
  async function copy(pairs: readonly { from: string; to: string }[], by: string) {
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
      const own = repos.days.get<RunningOrderItem>(from)
      // A date without its own order plays its template: copy what it plays.
      const items = own ? own.items : getDay(from).effective.map(({ origin: _o, ...i }) => i)
      return { to, items, mode: own?.mode ?? ('replace' as const), drill: own?.drill === true }
    })
    const days: DayView[] = []
    for (const s of sources) {
      days.push(await putDay(s.to, { items: s.items, mode: s.mode, drill: s.drill }, by))
    }
    log.info({ count: days.length, by }, 'running orders copied')
    return days
  }

  return { getDay, putDay, deleteDay, versions, restore, copy }
}

/** The programme service. */
export type Programme = ReturnType<typeof createProgramme>
