import type { Logger } from 'pino'
import {
  type DayType,
  DEFAULT_SEGMENTS,
  dayType as dayTypeOf,
  defaultTemplate,
  type Issue,
  planDates,
  type RunningOrderItem,
  validateDay,
} from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import { checkItemReferences, type ItemInput, validationOptions, withIds } from './order-items.js'
import { checkDayFits } from './plan-limits.js'
import { loadPlanInputs, type PlanInputRepos } from './programme-inputs.js'

/** A template with the validation issues an editor should see. */
export interface TemplateView {
  dayType: DayType
  items: RunningOrderItem[]
  targetCount: number
  updatedAt: string | null
  issues: Issue[]
}

/**
 * The working-day and rest-day running orders. A new install is seeded with 15 and 10 empty
 * slots (schedules' defaultTemplate), so the office sees the shape of a day at once. Saving one
 * announces the dates of its day type that plans cover; plan publication re-plans them after.
 */
export function createTemplates(deps: {
  repos: PlanInputRepos
  bus: EventBus
  clock: Clock
  log: Logger
  quietHours: string
  /** Days after today a plan covers: bounds how many items a day may hold (plan-limits.ts). */
  horizonDays: number
  tz: string
}) {
  const { repos } = deps
  const log = deps.log.child({ module: 'templates' })

  /** The dates plans cover now that are of this day type: the ones a template change reaches. */
  function datesOfType(type: DayType): string[] {
    const dates = planDates(deps.clock.now(), deps.horizonDays, deps.tz)
    const types = loadPlanInputs(repos, dates[0] ?? '', dates[dates.length - 1] ?? '').dayTypes
    return dates.filter((d) => dayTypeOf(d, types).type === type)
  }

  /** Seeds missing templates; call once at start. */
  function seed(): void {
    for (const dayType of ['working', 'rest'] as const) {
      const seeded = repos.templates.seed({
        dayType,
        items: defaultTemplate(dayType),
        targetCount: DEFAULT_SEGMENTS[dayType],
        updatedAt: new Date(deps.clock.now()).toISOString(),
      })
      if (seeded) log.info({ dayType }, 'template seeded with empty slots')
    }
  }

  function issuesOf(items: readonly RunningOrderItem[], targetCount: number): Issue[] {
    const audio = new Map(repos.audio.list().map((a) => [a.id, a]))
    return validateDay(items, audio, {
      ...validationOptions(repos, deps.quietHours),
      targetCount,
    })
  }

  function get(dayType: DayType): TemplateView {
    const t = repos.templates.get<RunningOrderItem>(dayType)
    const items = t?.items ?? defaultTemplate(dayType)
    const targetCount = t?.targetCount ?? DEFAULT_SEGMENTS[dayType]
    return {
      dayType,
      items,
      targetCount,
      updatedAt: t?.updatedAt ?? null,
      issues: issuesOf(items, targetCount),
    }
  }

  /** The segment count a day of this type is expected to have. */
  function targetCount(dayType: DayType): number {
    return repos.templates.get(dayType)?.targetCount ?? DEFAULT_SEGMENTS[dayType]
  }

  /**
   * Replaces a template. Unknown audio, columns or zones and duplicate ids are refused
   * (TEMPLATE_INVALID); other issues (overlaps, quiet hours…) are saved and shown.
   */
  async function put(
    dayType: DayType,
    input: { items: readonly ItemInput[]; targetCount?: number },
  ): Promise<TemplateView> {
    const items = withIds(input.items)
    checkItemReferences(repos, items, 'TEMPLATE_INVALID')
    checkDayFits(items.length, deps.horizonDays, 'TEMPLATE_INVALID', `the ${dayType} template`)
    const count = input.targetCount ?? targetCount(dayType)
    const duplicate = issuesOf(items, count).filter((i) => i.code === 'DUPLICATE_ID')
    if (duplicate.length > 0) {
      throw new ChorusError('TEMPLATE_INVALID', duplicate.map((e) => e.message).join('; '))
    }
    repos.templates.put({
      dayType,
      items,
      targetCount: count,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    })
    log.info({ dayType, items: items.length }, 'template saved')
    deps.bus.emit('programmeChanged', {
      what: 'template',
      dates: datesOfType(dayType),
      zones: 'all',
      reason: `${dayType} template changed`,
    })
    return get(dayType)
  }

  return { seed, get, put, targetCount }
}

/** The templates service. */
export type Templates = ReturnType<typeof createTemplates>
