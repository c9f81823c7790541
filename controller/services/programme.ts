import type { Logger } from 'pino'
import {
  type Issue,
  isValidDate,
  type RunningOrderItem,
  validateDay,
} from '../../schedules/index.js'
import type { DayOrderRecord } from '../db/repositories/days-repository.js'
import type { Repositories } from '../db/repositories/index.js'
import { ChorusError } from '../errors.js'
import type { EventBus } from '../events.js'
import type { Clock } from '../time.js'

/** An item as an editor sends it: the id is optional and made stable from the start time. */
export type ItemInput = Omit<RunningOrderItem, 'id'> & { id?: string }

/** A date's running order with the validation issues an editor should see. */
export interface DayView {
  date: string
  mode: 'replace' | 'add'
  items: RunningOrderItem[]
  updatedAt: string | null
  issues: Issue[]
}

/**
 * Running orders per date (the spine's minimal programme path; templates and the calendar
 * editor build on it). Saving a day refreshes the plans of the nodes it affects.
 */
export function createProgramme(deps: {
  repos: Repositories
  bus: EventBus
  clock: Clock
  log: Logger
  onChange: (reason: string) => Promise<unknown>
}) {
  const log = deps.log.child({ module: 'programme' })

  function audioMap() {
    return new Map(deps.repos.audio.list().map((a) => [a.id, a]))
  }

  function view(rec: DayOrderRecord<RunningOrderItem> | null, date: string): DayView {
    const items = rec?.items ?? []
    return {
      date,
      mode: rec?.mode ?? 'replace',
      items,
      updatedAt: rec?.updatedAt ?? null,
      issues: validateDay(items, audioMap(), {}),
    }
  }

  function getDay(date: string): DayView {
    if (!isValidDate(date)) throw new ChorusError('BAD_REQUEST', `not a date: ${date}`)
    return view(deps.repos.days.get<RunningOrderItem>(date), date)
  }

  /** Gives items without an id a stable one derived from their start time. */
  function withIds(items: readonly ItemInput[]): RunningOrderItem[] {
    const used = new Set(items.map((i) => i.id).filter((id): id is string => Boolean(id)))
    return items.map((item) => {
      if (item.id) return item as RunningOrderItem
      const base = `t${item.start.replaceAll(':', '')}`
      let id = base
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`
      used.add(id)
      return { ...item, id }
    })
  }

  async function putDay(
    date: string,
    input: { items: readonly ItemInput[]; mode?: 'replace' | 'add' },
  ): Promise<DayView> {
    if (!isValidDate(date)) throw new ChorusError('BAD_REQUEST', `not a date: ${date}`)
    const items = withIds(input.items)
    const unknownAudio = items
      .map((i) => i.audioId)
      .filter((id): id is string => id !== null && !deps.repos.audio.get(id))
    if (unknownAudio.length > 0) {
      throw new ChorusError(
        'DAY_INVALID',
        `unknown audio: ${[...new Set(unknownAudio)].join(', ')}`,
      )
    }
    const issues = validateDay(items, audioMap(), {})
    const errors = issues.filter((i) => i.severity === 'error' && i.code === 'DUPLICATE_ID')
    if (errors.length > 0) {
      throw new ChorusError('DAY_INVALID', errors.map((e) => e.message).join('; '), {
        details: errors,
      })
    }
    const rec: DayOrderRecord<RunningOrderItem> = {
      date,
      mode: input.mode ?? 'replace',
      items,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    }
    deps.repos.days.put(rec)
    log.info({ date, items: items.length }, 'running order saved')
    deps.bus.emit('dayChanged', { date })
    await deps.onChange(`day ${date} changed`)
    return view(rec, date)
  }

  return { getDay, putDay }
}

/** The programme service. */
export type Programme = ReturnType<typeof createProgramme>
