/**
 * @module running-order
 * TypeBox schemas for running orders: the working-day and rest-day templates and the
 * date-specific orders that replace or extend them. The controller's routes and storage reuse
 * these rather than redeclaring the shapes (STYLE rule 12).
 */
import { type Static, Type } from 'typebox'
import type { DayType } from './calendar.js'
import { RELAY_URL_PATTERN } from './relay.js'

/** JSON Schema pattern for a time of day 'HH:MM:SS' (00:00:00–23:59:59). */
export const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$'

/** Priority an item gets when it names none (0 lowest … 100 highest). */
export const DEFAULT_PRIORITY = 50

/** Default number of segments per day (PRODUCT.md sizing baseline: 15 working, 10 rest). */
export const DEFAULT_SEGMENTS: Readonly<Record<DayType, number>> = Object.freeze({
  working: 15,
  rest: 10,
})

/** The relay of a running-order item (relay.ts): an external live source until `end`. */
export const RelaySchema = Type.Object(
  {
    url: Type.String({
      maxLength: 2000,
      pattern: RELAY_URL_PATTERN,
      description: 'http(s), rtsp, rtp or udp URL of a live source on the local network',
    }),
    end: Type.String({ pattern: TIME_PATTERN, description: 'Local end time HH:MM:SS' }),
  },
  { additionalProperties: false },
)

/** The relay of a running-order item. */
export type Relay = Static<typeof RelaySchema>

/** One programme segment in a running order. */
export const RunningOrderItemSchema = Type.Object({
  id: Type.String({ minLength: 1, description: 'Stable id, unique within its running order' }),
  start: Type.String({ pattern: TIME_PATTERN, description: 'Local start time HH:MM:SS' }),
  audioId: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
    description: 'Audio to play; null while the slot is still empty (skipped when planning)',
  }),
  title: Type.String({ description: 'Shown to editors and in play reports' }),
  columnId: Type.Optional(
    Type.Union([Type.String(), Type.Null()], { description: 'Column (栏目) it belongs to' }),
  ),
  zones: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      description: 'Target zone ids; empty or absent means the whole district',
    }),
  ),
  priority: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 100, default: DEFAULT_PRIORITY, description: '0–100' }),
  ),
  relay: Type.Optional(
    Type.Union([RelaySchema, Type.Null()], {
      description: 'A relay (转播) slot: this live source until `end`, instead of audio',
    }),
  ),
})

/** One programme segment in a running order. */
export type RunningOrderItem = Static<typeof RunningOrderItemSchema>

/** A running order: the segments of one day, in any order (players sort by start). */
export const RunningOrderSchema = Type.Object({
  items: Type.Array(RunningOrderItemSchema),
})

/** A running order: the segments of one day. */
export type RunningOrder = Static<typeof RunningOrderSchema>

/** How a date's own order combines with the day-type template. */
export const DayPlanModeSchema = Type.Union([Type.Literal('replace'), Type.Literal('add')], {
  description: "'replace' drops the template; 'add' merges (same id overrides the template's)",
})

/** How a date's own order combines with the day-type template. */
export type DayPlanMode = Static<typeof DayPlanModeSchema>

/** The running order for one specific date. */
export const DayPlanSchema = Type.Object({
  mode: DayPlanModeSchema,
  items: Type.Array(RunningOrderItemSchema),
})

/** The running order for one specific date. */
export type DayPlan = Static<typeof DayPlanSchema>
