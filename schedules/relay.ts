/**
 * @module relay
 * Relay items (转播): a running-order slot that plays an external live source (a county station's
 * HTTP/Icecast stream, an RTSP or RTP/multicast feed on the local network) from its start to its
 * `end` instead of an audio file. The controller starts and ends them on its clock; they never
 * enter the agents' plan files (resolvePlan skips items without audio). Pure.
 */
import { eachOrderItem } from './order-items.js'
import type { Audience, PlanInputs } from './resolve-plan.js'
import type { Relay } from './running-order.js'

/** Schemes a relay may name: HTTP(S)/Icecast, RTSP, RTP and UDP (multicast). */
export const RELAY_SCHEMES = ['http', 'https', 'rtsp', 'rtp', 'udp'] as const

/** JSON Schema pattern of a relay URL: `scheme://…` of RELAY_SCHEMES, no white space. */
export const RELAY_URL_PATTERN = '^(https?|rtsp|rtp|udp)://[^\\s|]+$'

/**
 * The problem with a relay URL, or null: a scheme of RELAY_SCHEMES and a host; no credentials
 * in the URL (they would be logged and shown to every editor); nothing ffmpeg would read as
 * another protocol (`file:`, `concat:`, `subfile,` …) gets past the scheme check.
 */
export function relayUrlProblem(url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return 'not a URL'
  }
  const scheme = u.protocol.replace(/:$/, '')
  if (!(RELAY_SCHEMES as readonly string[]).includes(scheme)) {
    return `a relay is http, https, rtsp, rtp or udp, not ${scheme}`
  }
  if (!new RegExp(RELAY_URL_PATTERN).test(url)) return 'the URL contains white space or |'
  if (u.hostname === '') return 'the URL names no host'
  if (u.username !== '' || u.password !== '') return 'put no credentials in the URL'
  return null
}

/** ms from 00:00 of a valid 'HH:MM:SS'. */
function msOfDay(time: string): number {
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number)
  return ((h * 60 + m) * 60 + s) * 1000
}

/** How long a relay item lasts, in ms (end − start; ≤ 0 when the item is invalid). */
export function relayDurationMs(item: { start: string; relay: Relay }): number {
  return msOfDay(item.relay.end) - msOfDay(item.start)
}

/**
 * What is wrong with a relay item, in plain English (empty: nothing): it has audio too, its end
 * is not after its start (a relay does not run past midnight), or its URL is refused.
 */
export function relayItemProblems(item: {
  start: string
  audioId: string | null
  relay?: Relay | null | undefined
}): string[] {
  const relay = item.relay
  if (!relay) return []
  const problems: string[] = []
  if (item.audioId !== null) {
    problems.push(`the relay at ${item.start} also names audio: a relay item has none`)
  }
  if (relayDurationMs({ start: item.start, relay }) <= 0) {
    problems.push(`the relay at ${item.start} ends at ${relay.end}, not after its start`)
  }
  const url = relayUrlProblem(relay.url)
  if (url) problems.push(`the relay at ${item.start}: ${url}`)
  return problems
}

/** A relay item of one date with whom it reaches (as schedules' ResolvedItem says it). */
export interface ResolvedRelay {
  /**
   * `${date}/${item.id}`, then `@<zone>` for an item of a zone's own order and `#drill` for a
   * drill order's copy for test nodes: one key per slot and audience.
   */
  key: string
  title: string
  url: string
  /** Epoch ms of its start and end. */
  startAt: number
  endAt: number
  /** The item's target zones; empty: all the order reaches. */
  zones: string[]
  audience: Audience
  /** From this zone's own order: reaches only nodes in it. */
  orderZone?: string
  /** Zones whose own order replaces this item's for every node in them. */
  overriddenBy?: string[]
  /** Zones whose own drill order replaces this item's for their test nodes. */
  overriddenForTest?: string[]
}

/**
 * The relay items that run on `date`, from the district's order (or template) and every zone's
 * own order, each with whom it reaches, like the segments of the plan resolution. Invalid items
 * (refused on save) are skipped.
 */
export function resolveRelays(
  inputs: PlanInputs,
  date: string,
  toInstant: (date: string, time: string) => number,
): ResolvedRelay[] {
  const out: ResolvedRelay[] = []
  eachOrderItem(inputs, date, (item, reach) => {
    const relay = item.relay
    if (!relay || relayItemProblems(item).length > 0) return
    const r: ResolvedRelay = {
      key: `${date}/${item.id}${reach.orderZone === null ? '' : `@${reach.orderZone}`}${reach.audience === 'test' ? '#drill' : ''}`,
      title: item.title,
      url: relay.url,
      startAt: toInstant(date, item.start),
      endAt: toInstant(date, relay.end),
      zones: [...(item.zones ?? [])],
      audience: reach.audience,
    }
    if (reach.orderZone !== null) r.orderZone = reach.orderZone
    if (reach.over.all.length > 0) r.overriddenBy = [...reach.over.all]
    if (reach.over.test.length > 0) r.overriddenForTest = [...reach.over.test]
    out.push(r)
  })
  return out
}
