/**
 * @module default-templates
 * The running orders a new install starts with: 15 working-day and 10 rest-day slots (PRODUCT.md
 * sizing baseline) with no audio yet, outside the default quiet hours (22:00–06:30), so the office
 * sees the shape of a day at once and only has to fill the slots.
 */
import type { DayType } from './calendar.js'
import type { RunningOrderItem } from './running-order.js'

/** Start times of the seeded slots per day type. */
export const DEFAULT_TEMPLATE_TIMES: Readonly<Record<DayType, readonly string[]>> = Object.freeze({
  working: [
    '07:00:00',
    '07:30:00',
    '08:00:00',
    '09:00:00',
    '10:00:00',
    '11:00:00',
    '12:00:00',
    '12:30:00',
    '14:30:00',
    '15:30:00',
    '16:30:00',
    '17:30:00',
    '18:30:00',
    '19:30:00',
    '20:30:00',
  ],
  rest: [
    '08:00:00',
    '09:00:00',
    '10:00:00',
    '11:00:00',
    '12:00:00',
    '15:00:00',
    '16:00:00',
    '17:00:00',
    '18:30:00',
    '19:30:00',
  ],
})

/** The id an item gets from its start time when it has none: `07:30:00` → `t073000`. */
export function itemIdForStart(start: string): string {
  return `t${start.replaceAll(':', '')}`
}

/** The seeded template of a day type: empty slots (audio null) at DEFAULT_TEMPLATE_TIMES. */
export function defaultTemplate(type: DayType): RunningOrderItem[] {
  return DEFAULT_TEMPLATE_TIMES[type].map((start) => ({
    id: itemIdForStart(start),
    start,
    audioId: null,
    title: '',
  }))
}
