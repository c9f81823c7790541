import { addDays, dateIn, dayStart } from '../format.js'
import type { Transition } from '../types.js'

/** What a stretch of a day was: online, offline, before the node existed, or still to come. */
export type SegmentState = 'online' | 'offline' | 'none' | 'future'

/** A stretch of one day, as fractions [0, 1] of the day. */
export interface Segment {
  from: number
  to: number
  state: SegmentState
}

/** One day's bar. */
export interface DayBar {
  date: string
  segments: Segment[]
  /** Online share of the part of the day that has passed since the node existed, or null. */
  onlinePct: number | null
}

/** Presence states of a transition: anything but `offline` counts as connected. */
const presence = (s: string): 'online' | 'offline' => (s === 'offline' ? 'offline' : 'online')

/** The last `days` local dates up to today, oldest first. */
export function lastDays(days: number, tz: string, now: number): string[] {
  const today = dateIn(tz, now)
  return Array.from({ length: days }, (_, i) => addDays(today, i - days + 1))
}

/**
 * Per-day bars of online and offline stretches from the transitions (oldest first). Before the
 * first transition the node was in its `from` state; with none at all, in its current state.
 */
export function dayBars(
  transitions: readonly Transition[],
  opts: {
    dates: string[]
    tz: string
    now: number
    current: 'online' | 'offline'
    createdAt: number
  },
): DayBar[] {
  const changes = transitions
    .map((t) => ({ at: Date.parse(t.at), state: presence(t.to) }))
    .filter((c) => !Number.isNaN(c.at))
    .sort((a, b) => a.at - b.at)
  const initial = transitions[0] ? presence(transitions[0].from) : opts.current
  const stateAt = (at: number): 'online' | 'offline' => {
    let s = initial
    for (const c of changes) {
      if (c.at > at) break
      s = c.state
    }
    return s
  }
  return opts.dates.map((date) => {
    const start = dayStart(date, opts.tz)
    const end = dayStart(addDays(date, 1), opts.tz)
    const len = end - start
    // Cut points within the day: creation, each change, now.
    const cuts = new Set<number>([start, end])
    if (opts.createdAt > start && opts.createdAt < end) cuts.add(opts.createdAt)
    if (opts.now > start && opts.now < end) cuts.add(opts.now)
    for (const c of changes) if (c.at > start && c.at < end) cuts.add(c.at)
    const points = [...cuts].sort((a, b) => a - b)
    const segments: Segment[] = []
    let onlineMs = 0
    let knownMs = 0
    for (let i = 0; i < points.length - 1; i++) {
      const a = points[i] as number
      const b = points[i + 1] as number
      let state: SegmentState
      if (a >= opts.now) state = 'future'
      else if (b <= opts.createdAt) state = 'none'
      else state = stateAt(a)
      if (state === 'online' || state === 'offline') {
        knownMs += b - a
        if (state === 'online') onlineMs += b - a
      }
      const last = segments.at(-1)
      const from = (a - start) / len
      const to = (b - start) / len
      if (last && last.state === state) last.to = to
      else segments.push({ from, to, state })
    }
    return { date, segments, onlinePct: knownMs > 0 ? (onlineMs / knownMs) * 100 : null }
  })
}
