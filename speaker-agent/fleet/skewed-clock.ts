/**
 * A simulated node's own clock (SIMULATION ONLY): the true clock shifted by a constant error, as
 * on a box whose clock was set wrong. Timers fire when this clock reads their instant, so a node
 * that believed its own clock would play early or late by its error; the agent's clock sync has
 * to correct it.
 */
import { type Clock, createSystemClock } from '../clock.js'

/** A clock `errorMs` ahead of the true one (behind when negative). */
export function createSkewedClock(errorMs: number): Clock {
  const system = createSystemClock()
  return {
    now: () => Date.now() + errorMs,
    setTimer: (at, fn) => system.setTimer(at - errorMs, fn),
  }
}

/** Clock errors for `n` nodes, uniform in [-maxMs, maxMs], from `random`. */
export function randomClockErrors(n: number, maxMs: number, random = Math.random): number[] {
  return Array.from({ length: n }, () => Math.round((random() * 2 - 1) * maxMs))
}
