import type { Logger } from 'pino'
import type { Clock } from './clock.js'
import { errorMessage } from './errors.js'
import type { ClockEstimate } from './fleet-clock.js'
import { httpRequest } from './http-client.js'

/**
 * Estimates how far the controller's clock is from a local clock, the NTP way: `t0` local before
 * `GET {controllerUrl}/api/time`, `t1` local after, offset = controller `now` − (t0 + t1) / 2,
 * whose error is at most half the round trip (the uncertainty). Of the last few samples the one
 * with the smallest round trip wins, so one slow answer does not move the estimate.
 *
 * The agent measures against its monotonic clock and hands each estimate to its fleet clock
 * (`fleet-clock.ts`), which schedules every play by it: a node whose system clock is wrong still
 * plays on the controller's time. It samples in a burst at start and after each connect, then
 * once per telemetry report (docs/protocol.md, "Clock exchange").
 */
export interface ClockSync {
  /**
   * Takes one sample and returns the estimate; a failed request keeps the previous estimate.
   * Never rejects. Concurrent calls share one request.
   */
  sample(): Promise<number | null>
  /** Takes `count` samples one after the other (stopping at the first failure); the estimate. */
  burst(count?: number): Promise<number | null>
  /** The current estimate in ms (controller clock − local clock), or null before any sample. */
  offsetMs(): number | null
  /** The current estimate with its uncertainty (half its round trip), or null. */
  estimate(): ClockEstimate | null
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
  /** Called with the estimate after each successful sample. */
  onEstimate?: (estimate: ClockEstimate) => void
}

/** One measurement of the controller's clock. */
interface Sample {
  offsetMs: number
  roundTripMs: number
}

/** Default number of recent samples the estimate is chosen from. */
export const CLOCK_SAMPLES_KEPT = 8
/** Samples in a burst (at start and after each connect). */
export const CLOCK_BURST_SAMPLES = 5

/** Creates the estimator; it does nothing until sample() is called. */
export function createClockSync(deps: ClockSyncDeps): ClockSync {
  const { clock, log } = deps
  const keep = deps.keep ?? CLOCK_SAMPLES_KEPT
  const timeoutMs = deps.timeoutMs ?? 5000
  const url = new URL('/api/time', deps.controllerUrl)
  const samples: Sample[] = []
  let running: Promise<boolean> | undefined

  function best(): Sample | undefined {
    let found: Sample | undefined
    for (const s of samples) if (!found || s.roundTripMs < found.roundTripMs) found = s
    return found
  }
  const estimate = (): number | null => best()?.offsetMs ?? null

  async function measure(): Promise<Sample> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(deps.signal ? [deps.signal] : [])]
    const t0 = clock.now()
    const res = await httpRequest(url, { signal: AbortSignal.any(signals) })
    if (!res.ok) {
      res.discard()
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
    return { offsetMs: now - (t0 + t1) / 2, roundTripMs: t1 - t0 }
  }

  async function sampleOnce(): Promise<boolean> {
    try {
      const s = await measure()
      samples.push(s)
      if (samples.length > keep) samples.shift()
      log.debug({ ...s, estimateMs: estimate() }, 'clock sample')
      const chosen = best() as Sample
      deps.onEstimate?.({ offsetMs: chosen.offsetMs, uncertaintyMs: chosen.roundTripMs / 2 })
      return true
    } catch (err) {
      if (!deps.signal?.aborted) log.debug({ err: errorMessage(err) }, 'clock sample failed')
      return false
    }
  }

  function sample(): Promise<boolean> {
    running ??= sampleOnce().finally(() => {
      running = undefined
    })
    return running
  }

  const rounded = (): number | null => {
    const e = estimate()
    return e === null ? null : Math.round(e)
  }
  return {
    async sample() {
      await sample()
      return rounded()
    },
    async burst(count = CLOCK_BURST_SAMPLES) {
      for (let i = 0; i < count && !deps.signal?.aborted; i++) if (!(await sample())) break
      return rounded()
    },
    offsetMs: rounded,
    estimate() {
      const b = best()
      return b ? { offsetMs: b.offsetMs, uncertaintyMs: b.roundTripMs / 2 } : null
    },
  }
}
