import type { Logger } from 'pino'
import type { Clock } from './clock.js'
import { errorMessage } from './errors.js'

/**
 * Estimates how far the controller's clock is from this node's, the NTP way: `t0` local before
 * `GET {controllerUrl}/api/time`, `t1` local after, offset = controller `now` − (t0 + t1) / 2,
 * whose error is at most half the round trip. Of the last few samples the one with the smallest
 * round trip wins, so one slow answer does not move the estimate.
 *
 * The agent only *reports* the offset (telemetry `clockOffsetMs`); it never corrects its clock.
 * Nodes keep time with NTP / chrony, and the controller flags a node whose offset drifts. Plays
 * are scheduled on the node's own clock, so a drifting node plays early or late by its offset.
 */
export interface ClockSync {
  /**
   * Takes one sample and returns the estimate; a failed request keeps the previous estimate.
   * Never rejects. Concurrent calls share one request.
   */
  sample(): Promise<number | null>
  /** The current estimate in ms (controller clock − node clock), or null before any sample. */
  offsetMs(): number | null
}

/** Dependencies of createClockSync. */
export interface ClockSyncDeps {
  /** Controller base URL; `/api/time` is resolved against it. */
  controllerUrl: string
  /** Local wall-clock time (the agent's Clock). */
  clock: Pick<Clock, 'now'>
  log: Logger
  /** Samples kept; the one with the smallest round trip gives the estimate. Default 5. */
  keep?: number
  /** A request slower than this fails. Default 5000 ms. */
  timeoutMs?: number
  /** Aborts a running request (the agent stopping). */
  signal?: AbortSignal
}

/** One measurement of the controller's clock. */
interface Sample {
  offsetMs: number
  roundTripMs: number
}

/** Default number of recent samples the estimate is chosen from. */
export const CLOCK_SAMPLES_KEPT = 5

/** Creates the estimator; it does nothing until sample() is called. */
export function createClockSync(deps: ClockSyncDeps): ClockSync {
  const { clock, log } = deps
  const keep = deps.keep ?? CLOCK_SAMPLES_KEPT
  const timeoutMs = deps.timeoutMs ?? 5000
  const url = new URL('/api/time', deps.controllerUrl)
  const samples: Sample[] = []
  let running: Promise<number | null> | undefined

  function estimate(): number | null {
    let best: Sample | undefined
    for (const s of samples) if (!best || s.roundTripMs < best.roundTripMs) best = s
    return best?.offsetMs ?? null
  }

  async function measure(): Promise<Sample> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(deps.signal ? [deps.signal] : [])]
    const t0 = clock.now()
    const res = await fetch(url, { signal: AbortSignal.any(signals) })
    if (!res.ok) {
      await res.body?.cancel()
      throw new Error(`GET ${url} answered HTTP ${res.status}`)
    }
    const body: unknown = await res.json()
    const t1 = clock.now()
    const now = (body as { now?: unknown } | null)?.now
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new Error(`GET ${url} answered no numeric "now"`)
    }
    // A clock stepped backwards during the request makes the sample meaningless.
    if (t1 < t0) throw new Error('local clock stepped back during the request')
    return { offsetMs: Math.round(now - (t0 + t1) / 2), roundTripMs: t1 - t0 }
  }

  async function sampleOnce(): Promise<number | null> {
    try {
      const s = await measure()
      samples.push(s)
      if (samples.length > keep) samples.shift()
      log.debug({ ...s, estimateMs: estimate() }, 'clock sample')
    } catch (err) {
      if (!deps.signal?.aborted) log.debug({ err: errorMessage(err) }, 'clock sample failed')
    }
    return estimate()
  }

  return {
    sample() {
      running ??= sampleOnce().finally(() => {
        running = undefined
      })
      return running
    },
    offsetMs: estimate,
  }
}
