import { reachable } from '../access.js'
import type { Zone } from '../types.js'
import { zoneTree } from './node-filter.js'

// The install form's pure parts (no DOM), unit-tested in Node by test/browser/access-logic.test.ts.

/** A coordinate typed by hand: a number in range, or null (empty), or 'bad'. */
export function parseCoord(text: string, max: number): number | null | 'bad' {
  const s = text.trim().replace(/,/g, '.').replace(/°/g, '')
  if (s === '') return null
  const v = Number(s)
  return Number.isFinite(v) && Math.abs(v) <= max ? v : 'bad'
}

/** The zones a user may register into (theirs and everything below), in tree order. */
export function zoneChoices(zones: readonly Zone[], limit: readonly string[]) {
  const reach = reachable(zones, limit)
  return zoneTree(zones).filter(({ zone }) => reach === null || reach.has(zone.id))
}
