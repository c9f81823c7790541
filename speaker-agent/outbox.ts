import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { AgentEvent, EventsMessage, PayloadDecoder } from '../protocol/index.js'
import { TEMP_PREFIX, writeFileAtomic } from './atomic-file.js'
import { type BackoffOptions, backoffDelayMs } from './backoff.js'
import type { Clock } from './clock.js'

/** Publishes one MQTT message; resolves when the broker acknowledged it (PUBACK for QoS 1). */
export type PublishFn = (topic: string, payload: string, opts: { qos: 0 | 1 }) => Promise<void>

/** Dependencies of createOutbox. */
export interface OutboxDeps {
  /** Directory holding one file per pending event (`<dataDir>/outbox`). */
  dir: string
  /** The node's `events` topic. */
  topic: string
  publish: PublishFn
  clock: Clock
  log: Logger
  /** When given, events that do not match the protocol are logged and never stored. */
  decoder?: PayloadDecoder
  /** Events per `events` message; at most 100 by the protocol. */
  batchSize?: number
  /** Retry delays after a failed publish. */
  backoff?: BackoffOptions
  random?: () => number
}

/** Durable event outbox: written to disk before it is published, deleted after the PUBACK. */
export interface Outbox {
  /** Creates the directory and picks up events left by a previous run. */
  start(): Promise<void>
  /** Stores an event durably, then lets the drain loop publish it. */
  add(event: AgentEvent): Promise<void>
  /** Tells the outbox whether the session is connected; draining runs only while it is. */
  setConnected(connected: boolean): void
  /** Publishes pending events until none is left or a publish fails. */
  drain(): Promise<void>
  /** Events stored and not yet acknowledged by the broker. */
  depth(): number
  /** Stops draining and retries and waits for pending writes. */
  stop(): Promise<void>
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, capMs: 30_000 }
const NAME_RE = /^(\d{15})-(\d{6})\.json$/

/** Outbox over `dir`; file names sort by creation (zero-padded ms timestamp and a counter). */
export function createOutbox(deps: OutboxDeps): Outbox {
  const { dir, topic, publish, clock, log, decoder } = deps
  const batchSize = Math.min(deps.batchSize ?? 50, 100)
  const backoff = deps.backoff ?? DEFAULT_BACKOFF
  const random = deps.random ?? Math.random
  const files: string[] = []
  const writes = new Set<Promise<void>>()
  let lastMs = 0
  let seq = 0
  let connected = false
  let stopped = false
  let attempt = 0
  let cancelRetry: (() => void) | undefined
  let draining: Promise<void> | undefined

  function nextName(): string {
    // Strictly increasing even if the clock steps back or the process restarts within one ms.
    const ms = Math.max(clock.now(), lastMs)
    seq = ms === lastMs ? seq + 1 : 0
    lastMs = ms
    if (seq > 999_999) {
      lastMs += 1
      seq = 0
    }
    return `${String(lastMs).padStart(15, '0')}-${String(seq).padStart(6, '0')}.json`
  }

  function insertSorted(name: string): void {
    let i = files.length
    while (i > 0 && (files[i - 1] as string) > name) i--
    files.splice(i, 0, name)
  }

  function kick(): void {
    if (!connected || stopped || draining || cancelRetry || files.length === 0) return
    draining = run()
      .catch((err: unknown) => scheduleRetry(err))
      .finally(() => {
        draining = undefined
        // An event stored while the loop was finishing would otherwise wait for the next add.
        kick()
      })
  }

  async function run(): Promise<void> {
    while (connected && !stopped && files.length > 0) {
      const batch = files.slice(0, batchSize)
      const events: AgentEvent[] = []
      for (const name of batch) {
        try {
          events.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as AgentEvent)
        } catch (err) {
          log.error({ err, file: name }, 'unreadable outbox event dropped')
        }
      }
      if (events.length > 0) {
        const message: EventsMessage = { v: 1, events }
        try {
          await publish(topic, JSON.stringify(message), { qos: 1 })
        } catch (err) {
          scheduleRetry(err)
          return
        }
      }
      attempt = 0
      for (const name of batch) {
        const index = files.indexOf(name)
        if (index >= 0) files.splice(index, 1)
        await rm(join(dir, name), { force: true })
      }
      log.debug({ count: events.length, depth: files.length }, 'events published')
    }
  }

  function scheduleRetry(err: unknown): void {
    if (!connected || stopped) return
    const delayMs = backoffDelayMs(attempt, backoff, random)
    attempt++
    log.warn({ err, delayMs, depth: files.length }, 'events publish failed; retrying')
    cancelRetry = clock.setTimer(clock.now() + delayMs, () => {
      cancelRetry = undefined
      kick()
    })
  }

  function clearRetry(): void {
    cancelRetry?.()
    cancelRetry = undefined
  }

  return {
    async start() {
      stopped = false
      await mkdir(dir, { recursive: true })
      const names = (await readdir(dir)).sort()
      files.length = 0
      for (const name of names) {
        // A temporary file is a write that a crash interrupted: its event was never added.
        if (name.startsWith(TEMP_PREFIX)) await rm(join(dir, name), { force: true })
        const match = NAME_RE.exec(name)
        if (!match) continue
        files.push(name)
        lastMs = Number(match[1])
        seq = Number(match[2])
      }
      if (files.length > 0) log.info({ depth: files.length }, 'outbox holds events from before')
      kick()
    },
    async add(event) {
      if (decoder) {
        const check = decoder.decode('events', JSON.stringify({ v: 1, events: [event] }))
        if (!check.ok) {
          log.error({ event, errors: check.errors }, 'event does not match the protocol; dropped')
          return
        }
      }
      const name = nextName()
      const write = writeFileAtomic(join(dir, name), JSON.stringify(event))
      writes.add(write)
      try {
        await write
      } finally {
        writes.delete(write)
      }
      insertSorted(name)
      kick()
    },
    setConnected(value) {
      connected = value
      clearRetry()
      attempt = 0
      kick()
    },
    async drain() {
      kick()
      while (draining !== undefined) await draining
    },
    depth: () => files.length + writes.size,
    async stop() {
      stopped = true
      connected = false
      clearRetry()
      await Promise.allSettled([...writes])
      await draining
    },
  }
}
