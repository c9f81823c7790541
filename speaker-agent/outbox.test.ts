import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import {
  type AgentEvent,
  createPayloadDecoder,
  EVENTS_MAX_BYTES,
  type EventsMessage,
} from '../protocol/index.js'
import { createManualClock } from '../testing/manual-clock.js'
import { stampEvent } from './events.js'
import { createOutbox, type Outbox, type PublishFn } from './outbox.js'
import { makeTempDir, silentLogger } from './testing/tmp-dir.js'

const TOPIC = 'chorus/v1/nodes/n1/events'

async function setup() {
  const { dir, cleanup } = await makeTempDir()
  onTestFinished(cleanup)
  const clock = createManualClock()
  const sent: EventsMessage[] = []
  let failures = 0
  let gate: Promise<void> | undefined
  let current: Outbox | undefined
  // A controller that commits and receipts every event it gets (off: receipts never come).
  let receipting = true
  const publish: PublishFn = async (topic, payload, opts) => {
    expect(topic).toBe(TOPIC)
    expect(opts.qos).toBe(1)
    if (gate !== undefined) await gate
    if (failures > 0) {
      failures--
      throw new Error('no PUBACK')
    }
    const message = JSON.parse(payload) as EventsMessage
    sent.push(message)
    const box = current
    if (receipting && box) setImmediate(() => void box.receipt(message.events.map((e) => e.id)))
  }
  const make = () => {
    current = createOutbox({
      dir: join(dir, 'outbox'),
      topic: TOPIC,
      publish,
      clock,
      log: silentLogger(),
      decoder: createPayloadDecoder(),
      random: () => 0.999,
      receiptWait: { baseMs: 10_000, capMs: 40_000 },
    })
    return current
  }
  const ping = (n: number): AgentEvent =>
    stampEvent(clock, { type: 'plan.applied', planVersion: `v${n}`, itemCount: n })
  const files = () => readdir(join(dir, 'outbox'))
  return {
    clock,
    sent,
    make,
    ping,
    files,
    dir: join(dir, 'outbox'),
    failNext: (n: number) => {
      failures = n
    },
    receipts: (on: boolean) => {
      receipting = on
    },
    ids: () => sent.flatMap((m) => m.events.map((e) => e.id)),
    hold: () => {
      let open = (): void => undefined
      gate = new Promise((resolve) => {
        open = resolve
      })
      return () => {
        gate = undefined
        open()
      }
    },
  }
}

describe('outbox', () => {
  it('writes an event to disk before publishing and deletes it only after the receipt', async () => {
    const t = await setup()
    t.receipts(false)
    const outbox = t.make()
    await outbox.start()
    const release = t.hold()
    outbox.setConnected(true)
    await outbox.add(t.ping(1))
    expect(await t.files()).toHaveLength(1)
    expect(outbox.depth()).toBe(1)
    release()
    await vi.waitFor(() => expect(outbox.awaiting()).toBe(1))
    expect(t.sent).toHaveLength(1)
    expect(t.sent[0]?.events[0]).toMatchObject({ type: 'plan.applied', planVersion: 'v1' })
    // The broker's PUBACK came; the controller's receipt did not: the event stays on disk.
    expect(await t.files()).toHaveLength(1)
    expect(outbox.depth()).toBe(1)
    expect(await outbox.receipt(['not-mine'])).toBe(0)
    expect(await outbox.receipt(t.ids())).toBe(1)
    expect(await t.files()).toHaveLength(0)
    expect(outbox.depth()).toBe(0)
    await outbox.stop()
  })

  it('sends unreceipted events again after the wait (doubling) and on every reconnect', async () => {
    const t = await setup()
    t.receipts(false)
    const outbox = t.make()
    await outbox.start()
    outbox.setConnected(true)
    await outbox.add(t.ping(1))
    await outbox.add(t.ping(2))
    await vi.waitFor(() => expect(outbox.awaiting()).toBe(2))
    const sends = () => t.sent.length
    const first = sends()
    // random() = 0.999: the first wait is just under 10 s, the second just under 20 s.
    await t.clock.advance(9000)
    expect(sends()).toBe(first)
    await t.clock.advance(1000)
    await vi.waitFor(() => expect(outbox.awaiting()).toBe(2))
    expect(sends()).toBe(first + 1)
    await t.clock.advance(15_000)
    expect(sends()).toBe(first + 1)
    await t.clock.advance(5000)
    await vi.waitFor(() => expect(sends()).toBe(first + 2))
    // A receipt for one of them deletes that one only; the other is still awaited.
    const [id1] = t.ids()
    expect(await outbox.receipt([id1 as string])).toBe(1)
    expect(outbox.depth()).toBe(1)
    // A reconnect sends what is left at once, without waiting.
    outbox.setConnected(false)
    outbox.setConnected(true)
    await vi.waitFor(() => expect(sends()).toBe(first + 3))
    expect(t.sent.at(-1)?.events.map((e) => (e as { planVersion: string }).planVersion)).toEqual([
      'v2',
    ])
    t.receipts(true)
    await outbox.receipt(t.ids())
    await outbox.drain()
    expect(await t.files()).toHaveLength(0)
    await outbox.stop()
    expect(t.clock.pending()).toBe(0)
  })

  it('counts an event once when its late receipt lands while a resend reads its file', async () => {
    const t = await setup()
    t.receipts(false)
    const outbox = t.make()
    await outbox.start()
    outbox.setConnected(true)
    await outbox.add(t.ping(1))
    await vi.waitFor(() => expect(outbox.awaiting()).toBe(1))
    const [id] = t.ids()
    const before = t.sent.length
    // A reconnect starts a resend, which reads the file; the first send's receipt arrives meanwhile
    // (whether the read or the delete wins the race, the event is counted and sent no more).
    outbox.setConnected(false)
    outbox.setConnected(true)
    expect(await outbox.receipt([id as string])).toBe(1)
    await outbox.drain()
    // The resend skips what was receipted, and a receipt for the copy counts nothing.
    expect(t.sent.length).toBe(before)
    expect(await outbox.receipt([id as string])).toBe(0)
    expect(outbox.depth()).toBe(0)
    expect(await t.files()).toHaveLength(0)
    await outbox.stop()
  })

  it('keeps events across a restart and sends them, oldest first, once connected', async () => {
    const t = await setup()
    const first = t.make()
    await first.start()
    for (let n = 1; n <= 3; n++) await first.add(t.ping(n))
    await first.stop()
    expect(t.sent).toHaveLength(0)

    const second = t.make()
    await second.start()
    expect(second.depth()).toBe(3)
    await second.add(t.ping(4))
    second.setConnected(true)
    await second.drain()
    const versions = t.sent
      .flatMap((m) => m.events)
      .map((e) => (e as { planVersion: string }).planVersion)
    expect(versions).toEqual(['v1', 'v2', 'v3', 'v4'])
    expect(await t.files()).toHaveLength(0)
    await second.stop()
  })

  it('keeps events when a publish fails and retries with capped exponential backoff', async () => {
    const t = await setup()
    const outbox = t.make()
    await outbox.start()
    t.failNext(2)
    await outbox.add(t.ping(1))
    outbox.setConnected(true)
    await outbox.drain()
    expect(t.sent).toHaveLength(0)
    expect(await t.files()).toHaveLength(1)

    // random() = 0.999: first retry after ~1 s, second after ~2 s (full jitter, base 1 s).
    await t.clock.advance(900)
    expect(t.sent).toHaveLength(0)
    await t.clock.advance(100)
    await outbox.drain()
    expect(t.sent).toHaveLength(0)
    await t.clock.advance(2000)
    await outbox.drain()
    expect(t.sent).toHaveLength(1)
    // The receipt comes back asynchronously, as a controller's does.
    await vi.waitFor(async () => expect(await t.files()).toHaveLength(0))
    await outbox.stop()
    expect(t.clock.pending()).toBe(0)
  })

  it('publishes at most 50 events per message', async () => {
    const t = await setup()
    const outbox = t.make()
    await outbox.start()
    await Promise.all(Array.from({ length: 120 }, (_, n) => outbox.add(t.ping(n))))
    outbox.setConnected(true)
    await outbox.drain()
    expect(t.sent.map((m) => m.events.length)).toEqual([50, 50, 20])
    await outbox.stop()
  })

  it('keeps each message under the byte limit (a new message before it) and refuses an event alone over it', async () => {
    const t = await setup()
    const outbox = t.make()
    await outbox.start()
    // Acks with a 40 kB result: six fit in one message of at most 256 KiB, not fifty.
    const ack = (n: number, bytes: number): AgentEvent =>
      stampEvent(t.clock, {
        type: 'cmd.ack',
        cmdId: `c${n}`,
        status: 'ok',
        result: { log: 'x'.repeat(bytes) },
      })
    for (let n = 0; n < 20; n++) await outbox.add(ack(n, 40_000))
    await outbox.add(ack(99, EVENTS_MAX_BYTES))
    expect(outbox.depth()).toBe(20)
    outbox.setConnected(true)
    await outbox.drain()
    expect(t.sent.length).toBeGreaterThan(3)
    for (const m of t.sent)
      expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThan(EVENTS_MAX_BYTES)
    const acked = t.sent.flatMap((m) => m.events.map((e) => (e as { cmdId: string }).cmdId))
    expect(acked).toEqual(Array.from({ length: 20 }, (_, n) => `c${n}`))
    await outbox.stop()
  })

  it('does not publish while disconnected and drops events that break the protocol', async () => {
    const t = await setup()
    const outbox = t.make()
    await outbox.start()
    await outbox.add(t.ping(1))
    await outbox.add({ ...t.ping(2), itemCount: -1 } as AgentEvent)
    await outbox.drain()
    expect(t.sent).toHaveLength(0)
    expect(outbox.depth()).toBe(1)
    await outbox.stop()
  })

  it('sets torn files aside (empty, cut short, garbage, JSON that is no event) and delivers the intact ones', async () => {
    const t = await setup()
    const first = t.make()
    await first.start()
    for (let n = 1; n <= 4; n++) await first.add(t.ping(n))
    await first.stop()
    const dir = t.dir
    const names = (await t.files()).sort()
    expect(names).toHaveLength(4)
    // A power loss: the third event cut in the middle; then files that never held an event.
    const third = join(dir, names[2] as string)
    const text = await readFile(third, 'utf8')
    await writeFile(third, text.slice(0, Math.floor(text.length / 2)))
    const torn = [names[2], '000000000000001-000000.json', '000000000000002-000000.json']
    await writeFile(join(dir, torn[1] as string), '')
    await writeFile(join(dir, torn[2] as string), Buffer.from([0, 0, 0, 0xff, 0x7b]))
    for (const [i, junk] of ['42', '{}', '{"id":"x"}'].entries()) {
      const name = `00000000000000${3 + i}-000000.json`
      await writeFile(join(dir, name), junk)
      torn.push(name)
    }

    const outbox = t.make()
    await outbox.start()
    outbox.setConnected(true)
    await outbox.drain()
    // Only the three intact events went out, once, and were receipted.
    expect(
      t.sent.flatMap((m) => m.events.map((e) => (e as { planVersion: string }).planVersion)),
    ).toEqual(['v1', 'v2', 'v4'])
    expect(outbox.torn()).toBe(6)
    expect(outbox.depth()).toBe(0)
    expect(await t.files()).toEqual(['torn'])
    expect((await readdir(join(dir, 'torn'))).sort()).toEqual([...torn].sort())
    // Nothing left to loop on: no timer, no resend.
    await t.clock.advance(600_000)
    await outbox.drain()
    expect(t.sent).toHaveLength(1)
    await outbox.stop()
    expect(t.clock.pending()).toBe(0)
  })
})
