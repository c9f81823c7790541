/**
 * @module agent-types
 * The agent's public shape: the events it emits, its options, its status and its handle.
 */
import type { EventEmitter } from 'node:events'
import type { Logger } from 'pino'
import type { Sink, SinkDeps } from '../audio/index.js'
import type { PayloadDecoder } from '../protocol/index.js'
import type { Clock } from './clock.js'
import type { NodeConfig } from './config.js'
import type {
  CommandAckEvent,
  PlayFailedEvent,
  PlayFinishedEvent,
  PlayInterruptedEvent,
  PlayMissedEvent,
  PlayStartedEvent,
  ReadinessEvent,
} from './events.js'
import type { WriteFile } from './file-writer.js'
import type { HostClock } from './host-clock.js'

/** Events an agent emits, for tests, the fleet simulator and main.ts. */
export interface AgentEvents {
  connected: []
  disconnected: []
  /** A segment was not played at its instant (reported once). */
  missed: [event: PlayMissedEvent]
  planApplied: [version: string]
  started: [event: PlayStartedEvent]
  played: [event: PlayFinishedEvent]
  failed: [event: PlayFailedEvent]
  interrupted: [event: PlayInterruptedEvent]
  ack: [event: CommandAckEvent]
  /** A plan or command was refused (unsigned, wrong key, altered, replayed, other node). */
  refused: [channel: 'plan' | 'cmd' | 'receipt', reason: string]
  /** The controller receipted events (committed or refused for good); the outbox deleted them. */
  receipted: [ids: readonly string[]]
  readiness: [event: ReadinessEvent]
  /** The broker refused the node's credentials this many times in a row (see mqtt-session). */
  credentialsRefused: [consecutive: number]
}

/** Options of createAgent; everything but config and log has a default. */
export interface AgentOptions {
  config: NodeConfig
  log: Logger
  /**
   * The node's monotonic and system clocks; default the real ones. The agent schedules by its
   * fleet clock built on them (`fleet-clock.ts`).
   */
  host?: HostClock
  /** A plain clock to use as both host clocks (tests on a manual clock); ignored with `host`. */
  clock?: Clock
  /** Default: createSink(config.sink). */
  sink?: Sink
  /**
   * Makes the sink from `config.sink` and the agent's clock when `sink` is not given; default
   * `createSink`. The fleet simulator passes one that makes its simulated outputs.
   */
  sinkFactory?: (spec: string, deps: SinkDeps) => Sink
  /** Default: the binary shipped in npm packages (main.ts passes one resolved with env). */
  ffmpegPath?: string
  agentVersion?: string
  /** How long published events wait for a receipt before they are sent again (tests shorten it). */
  receiptWait?: { baseMs: number; capMs: number }
  /** Called after a `restart` command was acknowledged; main.ts exits with code 75. */
  onRestartRequested?: () => void
  /**
   * Validates MQTT payloads; default a new one. Compiling the protocol's schemas takes a few ms,
   * so the fleet simulator compiles them once and shares the decoder (it holds no state).
   */
  decoder?: PayloadDecoder
  /**
   * How outbox events, plans, state and logs are written; default `durableWriteFile` (atomic and
   * fsynced), what every real node uses. SIMULATION ONLY: the fleet simulator passes one shared,
   * unsynced, coalescing writer (file-writer.ts `createSharedWriter`).
   */
  writeFile?: WriteFile
}

/** Snapshot of an agent's state. */
export interface AgentStatus {
  connected: boolean
  planVersion: string | null
  outboxDepth: number
  playing: string | null
  /** Refusals of the node's credentials by the broker in a row (0 once connected). */
  credentialsRefused: number
}

/** One speaker agent. */
export interface Agent {
  readonly nodeId: string
  readonly events: EventEmitter<AgentEvents>
  /** Loads state and the stored plan, arms the player, starts the MQTT session. */
  start(): Promise<void>
  /** Stops playback, timers, the session and the outbox; idempotent. */
  stop(): Promise<void>
  status(): AgentStatus
}
