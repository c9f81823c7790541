import type { Logger } from 'pino'
import type { PlanMessage } from '../protocol/index.js'
import type { AudioCache } from './audio-cache.js'
import type { Clock } from './clock.js'
import type { CommandAckEvent, ReportEvent } from './events.js'
import type { Live } from './live.js'
import type { PlanStore } from './plan-store.js'
import type { Player } from './player.js'
import type { Readiness } from './readiness.js'
import type { StateStore } from './state-store.js'

/** Mutable state of one agent, owned by its createAgent call (never module-level). */
export interface AgentState {
  /** The plan being played, or null. */
  plan: PlanMessage | null
  /** Set by `resync`: the next plan is applied even when its version equals the held one. */
  forceReplan: boolean
  /** Output volume 0..100. */
  volume: number
  /** Last failure worth showing a technician (telemetry `lastError`). */
  lastError: string | null
}

/** What the inbound handlers (`handlers/plan.ts`, `handlers/cmd.ts`) may use. */
export interface HandlerContext {
  nodeId: string
  dataDir: string
  ffmpegPath: () => string
  clock: Clock
  log: Logger
  state: AgentState
  planStore: PlanStore
  stateStore: StateStore
  player: Player
  /** Live sessions (`live.start` / `live.stop` commands). */
  live: Pick<Live, 'start' | 'stop'>
  cache: AudioCache
  /** Reports per-date readiness after prefetch rounds and retries while files are missing. */
  readiness: Readiness
  report: ReportEvent
  /** Acks of recently handled commands ('running' while one runs), oldest first. */
  commands: Map<string, CommandAckEvent | 'running'>
  /** Aborts tone generation when the agent stops. */
  signal: AbortSignal
  /** Publishes the birth message again; `planVersion` overrides the held version. */
  publishBirth(reason: 'birth' | 'rebirth', planVersion?: string | null): Promise<void>
  /** Called after a `restart` command has been acknowledged. */
  onRestartRequested(): void
  /** Frees disk space (abandons downloads, evicts unneeded audio) after a failed write. */
  relieveDisk(): Promise<void>
  /** Called when a new plan has been stored and armed. */
  onPlanApplied(version: string): void
}
