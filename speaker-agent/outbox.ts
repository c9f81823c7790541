import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import {
  type AgentEvent,
  EVENTS_MAX_BYTES,
  EVENTS_MAX_PER_MESSAGE,
  EVENTS_PER_MESSAGE,
  type EventsMessage,
  type PayloadDecoder,
} from '../protocol/index.js'
import { TEMP_PREFIX } from './atomic-file.js'
import { type BackoffOptions, backoffDelayMs } from './backoff.js'
import type { Clock } from './clock.js'
import { durableWriteFile, type WriteFile } from './file-writer.js'
import { readOutboxEvent, setAside } from './outbox-file.js'
import { createUnsavedEvents } from './unsaved-events.js'

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
  /**
   * Signs each `events` message as it is published, as a whole (the node's own key): one
   * signature per message. Without it, `sign` signs each event (the older form).
   */
  signMessage?: (message: EventsMessage) => EventsMessage
  /** Signs each event as it is published (the form before `signMessage`). */
  sign?: (event: AgentEvent) => AgentEvent
  /** Most events per `events` message (default EVENTS_PER_MESSAGE, at most 100). */
  batchSize?: number
  /** Retry delays after a failed publish. */
  backoff?: BackoffOptions
  /**
   * How long published events wait for the controller's receipt before they are sent again;
   * doubles (with jitter) after each wait that ended without any receipt, up to `capMs`.
   */
  receiptWait?: BackoffOptions
  /** Most events published and not yet receipted at a time. */
  window?: number
  random?: () => number
  /** Told when an event could not be written (it waits in memory; see unsaved-events.ts). */
  onWriteFailed?: (err: unknown) => void
  /** Default: durable (fsynced) writes; the fleet simulator shares one writer. */
  writeFile?: WriteFile
}

/**
 * Durable event outbox: written to disk before it is published, deleted only when the
 * controller's receipt says the event is committed (or refused for good). A broker's PUBACK proves
 * nothing about storage, so events published but not receipted are sent again after a wait and
 * after every reconnect; the controller stores each event id once.
 */
export interface Outbox {
  /** Creates the directory and picks up events left by a previous run. */
  start(): Promise<void>
  /** Stores an event durably, then lets the drain loop publish it. */
  add(event: AgentEvent): Promise<void>
  /** Tells the outbox whether the session is connected; draining runs only while it is. */
  setConnected(connected: boolean): void
  /** The controller committed (or refused for good) these event ids: delete them. */
  receipt(ids: readonly string[]): Promise<number>
  /**
   * Publishes pending events and waits until every one is receipted, the session drops, or a
   * publish failed (a retry is scheduled).
   */
  drain(): Promise<void>
  /** Events stored and not yet receipted by the controller. */
  depth(): number
  /** Events published and awaiting their receipt. */
  awaiting(): number
  /** Events held in memory because writing them to disk failed (part of depth). */
  unsaved(): number
  /** Files found torn (empty, cut short, not an event) and set aside in `<dir>/torn/`. */
  torn(): number
  /** Stops draining and retries and waits for pending writes. */
  stop(): Promise<void>
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, capMs: 30_000 }
const DEFAULT_RECEIPT_WAIT: BackoffOptions = { baseMs: 15_000, capMs: 300_000 }
const NAME_RE = /^(\d{15})-(\d{6})\.json$/
/** Room kept in an `events` message for its envelope and signature. */
const MESSAGE_RESERVE_BYTES = 1024

/** Outbox over `dir`; file names sort by creation (zero-padded ms timestamp and a counter). */
export function createOutbox(deps: OutboxDeps): Outbox {
  const { dir, topic, publish, clock, log, decoder } = deps
  const batchSize = Math.min(deps.batchSize ?? EVENTS_PER_MESSAGE, EVENTS_MAX_PER_MESSAGE)
  const backoff = deps.backoff ?? DEFAULT_BACKOFF
  const receiptWait = deps.receiptWait ?? DEFAULT_RECEIPT_WAIT
  const window = deps.window ?? 500
  const random = deps.random ?? Math.random
  const files: string[] = []
  /** Published on the current connection and not yet receipted (file names). */
  const sent = new Set<string>()
  /** Event id ↔ file name, for the events read in this run (a late receipt still matches). */
  const byId = new Map<string, string>()
  const idOf = new Map<string, string>()
  const writes = new Set<Promise<void>>()
  let waiters: (() => void)[] = []
  let lastMs = 0
  let seq = 0
  let connected = false
  let stopped = false
  let attempt = 0
  let waitAttempt = 0
  /** Files found torn and set aside since this outbox was created. */
  let torn = 0
  let cancelRetry: (() => void) | undefined
  let cancelWait: (() => void) | undefined
  let draining: Promise<void> | undefined
  const unsaved = createUnsavedEvents({
    clock,
    log,
    write: (name, data) => (deps.writeFile ?? durableWriteFile)(join(dir, name), data),
    random,
    ...(deps.onWriteFailed ? { onWriteFailed: deps.onWriteFailed } : {}),
  })

  function changed(): void {
    const w = waiters
    waiters = []
    for (const f of w) f()
  }

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

  function unsent(): string[] {
    const out: string[] = []
    const room = Math.min(batchSize, window - sent.size)
    for (const name of files) {
      if (out.length >= room) break
      if (!sent.has(name)) out.push(name)
    }
    return out
  }

  function kick(): void {
    if (!connected || stopped || draining || cancelRetry) return
    if (files.length === 0) return
    draining = run()
      .catch((err: unknown) => scheduleRetry(err))
      .finally(() => {
        draining = undefined
        // An event stored while the loop was finishing would otherwise wait for the next add.
        if (unsent().length > 0) kick()
      })
  }

  /** Drops `name`; true when it was still pending (a second receipt for it counts nothing). */
  async function forget(name: string): Promise<boolean> {
    const index = files.indexOf(name)
    if (index >= 0) files.splice(index, 1)
    const id = idOf.get(name)
    sent.delete(name)
    idOf.delete(name)
    if (id !== undefined) byId.delete(id)
    await rm(join(dir, name), { force: true })
    return index >= 0
  }

  /** A torn file: set aside (or, failing that, left for the next start), never sent. */
  async function tear(name: string, why: string): Promise<void> {
    torn++
    const index = files.indexOf(name)
    if (index >= 0) files.splice(index, 1)
    try {
      const movedTo = await setAside(dir, name)
      log.warn({ file: name, why, movedTo }, 'torn outbox event set aside; not sent')
    } catch (err) {
      log.error({ err, file: name, why }, 'torn outbox event could not be moved; skipped')
    }
  }

  async function run(): Promise<void> {
    for (;;) {
      if (!connected || stopped) return
      const batch = unsent()
      if (batch.length === 0) return
      const events: AgentEvent[] = []
      const names: string[] = []
      // Bytes of the events so far; the envelope and its signature fit in the reserve.
      let bytes = 0
      for (const name of batch) {
        try {
          const read = await readOutboxEvent(join(dir, name), decoder)
          if (!read.ok) {
            await tear(name, read.why)
            continue
          }
          const event = read.event
          // A receipt for an earlier send may have arrived while the file was read: it is done.
          if (!files.includes(name)) continue
          const sent = !deps.signMessage && deps.sign ? deps.sign(event) : event
          const size = Buffer.byteLength(JSON.stringify(sent)) + 1
          // Past the message's byte limit: this one leads the next message.
          if (events.length > 0 && bytes + size > EVENTS_MAX_BYTES - MESSAGE_RESERVE_BYTES) break
          bytes += size
          events.push(sent)
          names.push(name)
          // Known before the publish: a receipt may overtake the PUBACK.
          byId.set(event.id, name)
          idOf.set(name, event.id)
        } catch (err) {
          log.error({ err, file: name }, 'unreadable outbox event dropped')
          await forget(name)
        }
      }
      if (events.length === 0) continue
      const unsigned: EventsMessage = { v: 1, events }
      const message = deps.signMessage ? deps.signMessage(unsigned) : unsigned
      try {
        await publish(topic, JSON.stringify(message), { qos: 1 })
      } catch (err) {
        scheduleRetry(err)
        return
      }
      attempt = 0
      for (const name of names) {
        // A receipt may have overtaken the PUBACK and deleted the file already.
        if (files.includes(name)) sent.add(name)
      }
      armWait()
      log.debug({ count: events.length, depth: files.length }, 'events published')
    }
  }

  function armWait(): void {
    if (cancelWait || sent.size === 0 || !connected || stopped) return
    const ceiling = Math.min(receiptWait.capMs, receiptWait.baseMs * 2 ** Math.min(waitAttempt, 20))
    // Between half and all of the ceiling: never sooner than half, so a busy controller gets time.
    const delayMs = Math.floor(ceiling / 2 + (random() * ceiling) / 2)
    cancelWait = clock.setTimer(clock.now() + delayMs, () => {
      cancelWait = undefined
      if (!connected || stopped || sent.size === 0) return
      log.warn(
        { awaiting: sent.size, waitedMs: delayMs },
        'no receipt for published events; resending',
      )
      waitAttempt++
      sent.clear()
      kick()
    })
  }

  function clearWait(): void {
    cancelWait?.()
    cancelWait = undefined
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
    changed()
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
      sent.clear()
      byId.clear()
      idOf.clear()
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
      // A failed write (disk full) is kept in memory and retried, never dropped.
      const write = unsaved.persist(name, JSON.stringify(event))
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
      clearWait()
      attempt = 0
      // Every (re)connect sends again whatever was not receipted: the controller may have missed
      // it (not yet subscribed, restarted, or the broker dropped it).
      sent.clear()
      if (!value) changed()
      kick()
    },
    async receipt(ids) {
      let removed = 0
      for (const id of ids) {
        const name = byId.get(id)
        if (name === undefined) continue
        if (await forget(name)) removed++
      }
      if (removed > 0) {
        waitAttempt = 0
        clearWait()
        armWait()
        log.debug({ removed, depth: files.length }, 'events receipted')
        changed()
        kick()
      }
      return removed
    },
    async drain() {
      kick()
      while (connected && !stopped && !cancelRetry && files.length + writes.size > 0) {
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    },
    depth: () => files.length + writes.size,
    awaiting: () => sent.size,
    unsaved: () => unsaved.count(),
    torn: () => torn,
    async stop() {
      stopped = true
      connected = false
      clearRetry()
      clearWait()
      changed()
      await unsaved.stop()
      await Promise.allSettled([...writes])
      await draining
    },
  }
}
