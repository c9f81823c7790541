/**
 * The fleet's hardest everyday case, as a reusable scenario (for the integration test, the
 * benchmark and `npm run demo`): one segment for every node at one instant, scheduled through
 * the controller's HTTP API like an editor would, then counted node by node on the true clock.
 */
import { instantToLocalDate, instantToLocalTime } from '../../schedules/index.js'
import type { Fleet } from './run.js'
import type { ItemOutcome } from './tally.js'

/** What scheduleOneInstant needs. */
export interface OneInstantOptions {
  fleet: Fleet
  controllerUrl: string
  /** Admin or editor API token. */
  token: string
  /** An uploaded audio id. */
  audioId: string
  /** Its length, ms (the wait covers it). */
  durationMs: number
  /** How far ahead the instant is placed (rounded up to a whole second). Default 20 s. */
  leadMs?: number
  /** The district's time zone, as the controller is configured. Default Asia/Shanghai. */
  tz?: string
  /** Extra wait after the segment's end for the last reports. Default 10 s. */
  graceMs?: number
}

/**
 * Replaces the day's running order with one segment at a whole second `leadMs` ahead, for every
 * node (no zones), and resolves once every node has reported on it (finished or failed) or the
 * segment plus `graceMs` is over. Returns the instant and the outcome.
 */
export async function scheduleOneInstant(
  opts: OneInstantOptions,
): Promise<{ at: number; outcome: ItemOutcome }> {
  const tz = opts.tz ?? 'Asia/Shanghai'
  const at = Math.ceil((Date.now() + (opts.leadMs ?? 20_000)) / 1000) * 1000
  const date = instantToLocalDate(at, tz)
  const item = { start: instantToLocalTime(at, tz), audioId: opts.audioId, title: 'one instant' }
  const res = await fetch(new URL(`/api/days/${date}`, opts.controllerUrl), {
    method: 'PUT',
    headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ items: [item] }),
  })
  if (!res.ok) throw new Error(`PUT /api/days/${date}: HTTP ${res.status} ${await res.text()}`)
  const nodes = opts.fleet.agents.length
  const deadline = at + opts.durationMs + (opts.graceMs ?? 10_000)
  const tally = opts.fleet.tally
  return new Promise((resolve) => {
    const check = (timedOut: boolean): void => {
      const itemId = tally.itemAt(at)
      const outcome = itemId ? tally.outcome(itemId, nodes) : emptyOutcome(nodes)
      if (timedOut || outcome.finished + outcome.late + outcome.failed >= nodes) {
        off()
        clearTimeout(timer)
        resolve({ at, outcome })
      }
    }
    const off = tally.onReport(() => check(false))
    const timer = setTimeout(() => check(true), Math.max(0, deadline - Date.now()))
  })
}

function emptyOutcome(nodes: number): ItemOutcome {
  return {
    itemId: '',
    nodes,
    started: 0,
    finished: 0,
    late: 0,
    failed: 0,
    failures: {},
    deviationsMs: [],
    clockErrorsMs: [],
    handoverLateMs: [],
  }
}
