import type { Logger } from 'pino'
import type { TelemetryMessage } from '../../protocol/index.js'
import type { Clock, EventBus, MessageRejected, PlayReported } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'

/** Why an online node is degraded; the web UI translates by code and shows the params. */
export interface DegradedReason {
  code: 'clock' | 'disk' | 'audio' | 'plays' | 'late' | 'plan' | 'refused'
  message: string
  params: Record<string, number | string>
}

/** Thresholds of the degraded state (from the controller's configuration). */
export interface HealthThresholds {
  clockOffsetMaxMs: number
  clockUncertaintyMaxMs: number
  lateStartMaxMs: number
  diskMinFreeMb: number
}

/** A node whose applied plan lags the current one longer than this is degraded. */
export const PLAN_LAG_MS = 5 * 60_000

/** A refused command keeps its node degraded this long (a refused plan: until one is applied). */
export const CMD_REFUSAL_SHOWN_MS = 15 * 60_000

/** Start deviations kept per node for the timing figure. */
export const DEVIATION_SAMPLES = 10

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/**
 * The degraded state: an online node that has something wrong (plays failing, clock off, disk
 * nearly full, plan behind, audio output missing, segments starting late), with the reason in
 * words. Kept in memory, re-evaluated on every telemetry sample and play report and on a timer.
 */
export function createNodeHealth(deps: {
  repos: Pick<SharedRepositories, 'events' | 'nodes' | 'plans' | 'telemetry'>
  bus: EventBus
  clock: Clock
  log: Logger
  thresholds: HealthThresholds
  telemetryOf: (nodeId: string) => TelemetryMessage | null
}) {
  const { thresholds: t } = deps
  const deviations = new Map<string, number[]>()
  const failures = new Map<string, { count: number; lastReason: string; lastItem: string | null }>()
  const reasons = new Map<string, DegradedReason[]>()
  const degradedSince = new Map<string, number>()
  const playing = new Set<string>()
  /** The last refusal per node and channel, keyed `<nodeId> <channel>`. */
  const refusals = new Map<string, MessageRejected & { receivedAt: number }>()
  const key = (nodeId: string, channel: 'plan' | 'cmd') => `${nodeId} ${channel}`

  function evaluate(nodeId: string): DegradedReason[] {
    const node = deps.repos.nodes.get(nodeId)
    if (!node?.online) return []
    const out: DegradedReason[] = []
    const tel = deps.telemetryOf(nodeId)
    if (tel?.clockOffsetMs != null && Math.abs(tel.clockOffsetMs) > t.clockOffsetMaxMs) {
      const s = (tel.clockOffsetMs / 1000).toFixed(1)
      out.push({
        code: 'clock',
        message: `clock off by ${s} s`,
        params: { offsetMs: tel.clockOffsetMs },
      })
    } else if (
      tel?.clockUncertaintyMs != null &&
      tel.clockUncertaintyMs > t.clockUncertaintyMaxMs
    ) {
      // Plays are scheduled by the estimate, so an uncertain one means plays out of step.
      out.push({
        code: 'clock',
        message: `clock uncertain by ±${Math.round(tel.clockUncertaintyMs)} ms`,
        params: { uncertaintyMs: Math.round(tel.clockUncertaintyMs) },
      })
    }
    const freeLow = tel?.freeDiskBytes != null && tel.freeDiskBytes < t.diskMinFreeMb * 1024 * 1024
    if (tel && (freeLow || tel.lowDisk)) {
      // Below the threshold, or the agent itself says its writes fail or its reserve is gone.
      const mb = Math.round((tel.freeDiskBytes ?? 0) / 1024 / 1024)
      const unsaved = tel.unsavedEvents ?? 0
      const held = unsaved > 0 ? `; ${unsaved} events not yet saved` : ''
      out.push({
        code: 'disk',
        message: `only ${mb} MB of disk free${held}`,
        params: { freeMb: mb, unsavedEvents: unsaved },
      })
    }
    for (const channel of ['plan', 'cmd'] as const) {
      const refusal = refusals.get(key(nodeId, channel))
      if (!refusal) continue
      if (channel === 'cmd' && deps.clock.now() - refusal.receivedAt > CMD_REFUSAL_SHOWN_MS) {
        refusals.delete(key(nodeId, channel))
        continue
      }
      const what = channel === 'plan' ? 'plan' : 'command'
      const where = refusal.source === 'stored' ? ' (stored copy altered)' : ''
      out.push({
        code: 'refused',
        message: `${what} ${refusal.id ?? '(unreadable)'} refused: ${refusal.reason}${where}`,
        params: {
          channel,
          id: refusal.id ?? '',
          reason: refusal.reason,
          source: refusal.source,
          error: refusal.error ?? '',
        },
      })
    }
    const audio = tel?.audioOutput
    if (audio && (audio.state === 'missing' || audio.state === 'error')) {
      out.push({
        code: 'audio',
        message: audio.state === 'missing' ? 'audio output device missing' : 'audio output failing',
        params: { state: audio.state, error: audio.error ?? '' },
      })
    }
    const f = failures.get(nodeId)
    if (f && f.count >= 2) {
      out.push({
        code: 'plays',
        message: `${f.count} plays failed in a row (last: ${f.lastReason})`,
        params: { count: f.count, reason: f.lastReason },
      })
    }
    const dev = deviations.get(nodeId)
    if (dev && dev.length >= 3) {
      const m = median(dev)
      if (m > t.lateStartMaxMs) {
        out.push({
          code: 'late',
          message: `segments start ${(m / 1000).toFixed(1)} s late`,
          params: { medianMs: Math.round(m) },
        })
      }
    }
    const plan = deps.repos.plans.get(nodeId)
    if (plan && node.appliedPlanVersion !== plan.version) {
      const lag = deps.clock.now() - Date.parse(plan.generatedAt)
      if (lag > PLAN_LAG_MS) {
        out.push({
          code: 'plan',
          message: `plan not applied for ${Math.round(lag / 60_000)} min`,
          params: { minutes: Math.round(lag / 60_000) },
        })
      }
    }
    return out
  }

  function refresh(nodeId: string): void {
    const next = evaluate(nodeId)
    const prev = reasons.get(nodeId) ?? []
    const same = prev.length === next.length && prev.every((r, i) => r.message === next[i]?.message)
    if (next.length === 0) {
      reasons.delete(nodeId)
      degradedSince.delete(nodeId)
    } else {
      reasons.set(nodeId, next)
      if (!degradedSince.has(nodeId)) degradedSince.set(nodeId, deps.clock.now())
    }
    if (!same) deps.bus.emit('nodeChanged', { nodeId })
  }

  function onPlay(p: PlayReported): void {
    if (p.type === 'play.started') playing.add(p.nodeId)
    // A miss is told after the slot, possibly while the node plays something else.
    else if (p.type !== 'play.missed') playing.delete(p.nodeId)
    if (p.type === 'play.started' && typeof p.deviationMs === 'number') {
      const list = deviations.get(p.nodeId) ?? []
      list.unshift(p.deviationMs)
      deviations.set(p.nodeId, list.slice(0, DEVIATION_SAMPLES))
    } else if (p.type === 'play.failed' && p.reason !== 'interrupted') {
      const f = failures.get(p.nodeId) ?? { count: 0, lastReason: '', lastItem: null }
      failures.set(p.nodeId, { count: f.count + 1, lastReason: p.reason ?? '', lastItem: p.itemId })
    } else if (!(p.type === 'play.finished' && failures.delete(p.nodeId))) {
      // Nothing the reasons are made of changed (a play finished after another): no re-evaluation,
      // which would read the node and its plan for every event of a burst.
      return
    }
    refresh(p.nodeId)
  }

  /** Refusals reported before a restart still show (a plan one until a plan is applied). */
  function restoreRefusals(since: string): void {
    for (const e of deps.repos.events.refusalHistory(since)) {
      const b = e.body
      const str = (v: unknown) => (typeof v === 'string' ? v : null)
      if (e.type === 'plan.applied') {
        const r = refusals.get(key(e.nodeId, 'plan'))
        if (r && (r.source === 'stored' || r.id !== str(b.planVersion))) {
          refusals.delete(key(e.nodeId, 'plan'))
        }
        continue
      }
      const plan = e.type === 'plan.rejected'
      refusals.set(key(e.nodeId, plan ? 'plan' : 'cmd'), {
        nodeId: e.nodeId,
        channel: plan ? 'plan' : 'cmd',
        id: str(plan ? b.planVersion : b.cmdId),
        reason: str(b.reason) ?? 'unknown',
        source: b.source === 'stored' ? 'stored' : 'received',
        error: str(b.error),
        at: e.at,
        receivedAt: Date.parse(e.at),
      })
    }
    for (const k of refusals.keys()) refresh(k.slice(0, k.lastIndexOf(' ')))
  }

  const onPlayListener = (p: PlayReported) => onPlay(p)
  const onRejected = (r: MessageRejected) => {
    refusals.set(key(r.nodeId, r.channel), { ...r, receivedAt: deps.clock.now() })
    refresh(r.nodeId)
  }
  const onApplied = ({ nodeId, version }: { nodeId: string; version: string }) => {
    const r = refusals.get(key(nodeId, 'plan'))
    // A plan applied after a refused one: the node holds a good plan again.
    if (r && (r.source === 'stored' || r.id !== version)) {
      refusals.delete(key(nodeId, 'plan'))
      refresh(nodeId)
    }
  }
  const onTransition = ({ nodeId, to }: { nodeId: string; to: string }) => {
    if (to === 'offline') playing.delete(nodeId)
    refresh(nodeId)
  }

  return {
    /** The node's current degraded reasons (empty when healthy or offline). */
    reasonsOf: (nodeId: string): DegradedReason[] => reasons.get(nodeId) ?? [],
    /** Since when the node has been degraded (epoch ms), or null. */
    degradedSince: (nodeId: string): number | null => degradedSince.get(nodeId) ?? null,
    /** Median start deviation of the last plays, or null. */
    timingOf(nodeId: string): { medianDeviationMs: number | null; samples: number[] } {
      const d = deviations.get(nodeId) ?? []
      return { medianDeviationMs: d.length > 0 ? median(d) : null, samples: [...d] }
    },
    /** Whether the node is playing, from play reports and telemetry, whichever is newer. */
    isPlaying: (nodeId: string): boolean => playing.has(nodeId),
    /** A telemetry sample arrived: take its playing flag and re-evaluate. */
    onTelemetry(nodeId: string, msg: TelemetryMessage): void {
      const was = playing.has(nodeId)
      if (msg.playing) playing.add(nodeId)
      else playing.delete(nodeId)
      if (was !== msg.playing) deps.bus.emit('nodeChanged', { nodeId })
      refresh(nodeId)
    },
    refresh,
    refreshAll(): void {
      for (const n of deps.repos.nodes.list()) if (n.online || reasons.has(n.id)) refresh(n.id)
    },
    start(): void {
      const since = new Date(deps.clock.now() - 7 * 86_400_000).toISOString()
      for (const [nodeId, list] of deps.repos.telemetry.recentDeviations(since)) {
        deviations.set(nodeId, list)
      }
      restoreRefusals(since)
      deps.bus.on('playReported', onPlayListener)
      deps.bus.on('transition', onTransition)
      deps.bus.on('messageRejected', onRejected)
      deps.bus.on('planApplied', onApplied)
    },
    stop(): void {
      deps.bus.off('playReported', onPlayListener)
      deps.bus.off('transition', onTransition)
      deps.bus.off('messageRejected', onRejected)
      deps.bus.off('planApplied', onApplied)
    },
  }
}

/** The node health service. */
export type NodeHealth = ReturnType<typeof createNodeHealth>
