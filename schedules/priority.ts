/**
 * @module priority
 * The explicit priority order of what a speaker plays (issues 3 and 13): emergency announcement >
 * live voice > urgent announcement > live relay > scheduled segment. Priorities are integers 0–100; the bands below keep the order whatever an
 * editor sets, because scheduled segments may not go above SEGMENT_PRIORITY_MAX.
 */

/** Highest priority a scheduled segment (template or date order item, column default) may have. */
export const SEGMENT_PRIORITY_MAX = 60

/** How urgent an announcement (插播) is. */
export type AnnouncementLevel = 'urgent' | 'emergency'

/** Plan priority of each announcement level; both are above every scheduled segment. */
export const ANNOUNCEMENT_PRIORITY: Readonly<Record<AnnouncementLevel, number>> = Object.freeze({
  urgent: 80,
  emergency: 95,
})

/** Plan priority of a live session's item on a node (issue 13): between the announcement levels. */
export const LIVE_PRIORITY: Readonly<Record<'voice' | 'relay', number>> = Object.freeze({
  voice: 90,
  relay: 70,
})
