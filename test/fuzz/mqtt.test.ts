import { type Socket, connect as tcpConnect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { nodeTopic } from '../../protocol/index.js'
import { startController, type TestController } from '../helpers/controller.js'
import { dbSnapshot, heapUsed, type Rng, randomJson, randomString, rng } from '../helpers/fuzz.js'
import { waitFor } from '../helpers/mqtt.js'
import { connectNode } from '../helpers/node-client.js'

const SEED = Number(process.env.CHORUS_FUZZ_SEED ?? 20_261_127)
const MESSAGES = 600
const SOCKETS = 60

type Stats = { received: number; rejected: number; failed: number }
const stats = async (ctl: TestController) =>
  (await ctl.api<{ mqtt: Stats; status: string }>('GET', '/api/health')).body

/** Valid payloads of each channel the controller subscribes to, to mutate from. */
function examples(nodeId: string, other: string) {
  const at = new Date().toISOString()
  return {
    status: {
      v: 1,
      state: 'online',
      nodeId,
      bootId: 'boot-fuzz',
      agentVersion: 'fuzz',
      planVersion: null,
      at,
      reason: 'birth',
    },
    events: {
      v: 1,
      events: [{ id: 'e-1', type: 'plan.applied', at, planVersion: 'p-1' }],
    },
    telemetry: {
      v: 1,
      at,
      agentVersion: 'fuzz',
      uptimeSec: 1,
      volume: 80,
      planVersion: null,
      cacheBytes: 0,
      freeDiskBytes: 1,
      clockOffsetMs: 1,
      memRssBytes: 1,
      outboxDepth: 0,
      playing: false,
      lastError: null,
    },
    other,
  }
}

/** A payload the controller must reject: never valid for its channel. */
function badPayload(r: Rng, valid: Record<string, unknown>, other: string): Buffer | string {
  const text = JSON.stringify(valid)
  switch (r.int(9)) {
    case 0:
      return r.bytes(1 + r.int(500))
    case 1:
      return text.slice(0, 1 + r.int(text.length - 1)) // truncated JSON
    case 2:
      return JSON.stringify({ ...valid, v: r.pick([0, 2, '1', null, [], 1.5]) })
    case 3: {
      const { v: _v, ...rest } = valid
      return JSON.stringify({ ...rest, junk: randomJson(r, 2) })
    }
    case 4:
      return JSON.stringify(r.pick([null, 1, 'text', [], [valid], true]))
    case 5:
      return JSON.stringify({ junk: randomJson(r, 3) })
    case 6:
      return `${'['.repeat(2000 + r.int(5000))}${']'.repeat(10)}` // deep, unbalanced
    case 7:
      return JSON.stringify({ ...valid, v: 1, nodeId: other, events: 'x', at: randomString(r) })
    default:
      return JSON.stringify({ ...valid, v: `${'x'.repeat(100_000)}` })
  }
}

describe('fuzz: MQTT', () => {
  it('rejects random and mutated payloads on status, events and telemetry, changing nothing', async () => {
    // The node would be limited to 600 messages and disconnected after 50 violations a minute
    // (test/fault/mqtt-node-limits): here every one of its bad messages must be processed.
    const ctl = await startController({
      args: ['--node-violation-limit', '1000000', '--node-max-messages-per-min', '100000'],
    })
    const other = await ctl.register('fuzz other')
    const node = await connectNode(ctl, await ctl.register('fuzz mqtt'))
    await node.birth()
    await waitFor(async () => {
      const n = await ctl.api<{ online: boolean }>('GET', `/api/nodes/${node.id}`)
      return n.body.online
    }, 'node online')
    const ex = examples(node.id, other.id)
    const channels = ['status', 'events', 'telemetry'] as const
    const r = rng(SEED)
    const heapBefore = heapUsed()
    const db = dbSnapshot(ctl.dataDir)
    const s0 = (await stats(ctl)).mqtt
    for (let i = 0; i < MESSAGES; i++) {
      const channel = r.pick(channels)
      const payload = badPayload(r, ex[channel], other.id)
      await node.client.publishAsync(nodeTopic(node.id, channel), payload, { qos: 1 })
    }
    // Every message arrives and is counted as rejected; no handler fails.
    const s1 = await waitFor(async () => {
      const s = (await stats(ctl)).mqtt
      return s.received - s0.received >= MESSAGES ? s : null
    }, 'every message counted')
    expect(s1.received - s0.received).toBe(MESSAGES)
    expect(s1.rejected - s0.rejected).toBe(MESSAGES)
    expect(s1.failed - s0.failed).toBe(0)
    expect(dbSnapshot(ctl.dataDir)).toEqual(db)
    // The node stays connected and its next valid message still counts.
    expect(node.client.connected).toBe(true)
    await node.telemetry()
    await waitFor(async () => (await stats(ctl)).mqtt.received > s1.received, 'valid telemetry')
    expect((await stats(ctl)).mqtt.rejected).toBe(s1.rejected)
    expect(heapUsed() - heapBefore).toBeLessThan(96 * 1024 * 1024)
  }, 120_000)

  it('survives random bytes on the MQTT port and serves a normal client afterwards', async () => {
    const ctl = await startController()
    const port = Number(new URL(ctl.brokerUrl).port)
    const r = rng(SEED + 1)
    const heapBefore = heapUsed()
    const sockets: Socket[] = []
    for (let i = 0; i < SOCKETS; i++) {
      const sock = tcpConnect(port, '127.0.0.1')
      sock.on('error', () => undefined)
      sockets.push(sock)
      await new Promise<void>((resolve) => sock.once('connect', () => resolve()))
      const makeGarbage = [
        () => r.bytes(1 + r.int(2000)),
        // A CONNECT header followed by garbage.
        () => Buffer.concat([Buffer.from([0x10, 0x7f]), r.bytes(127)]),
        // A header that claims a 256 MB packet.
        () => Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x01]),
        () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
      ][r.int(4)] as () => Buffer
      const garbage = makeGarbage()
      // Handed to the kernel before the socket may go: the broker gets every byte, then the close.
      await new Promise<void>((resolve) => sock.write(garbage, () => resolve()))
      if (r.chance(0.5)) sock.destroy()
    }
    for (const s of sockets) s.destroy()
    const node = await connectNode(ctl, await ctl.register('after the storm'))
    await node.birth()
    await waitFor(async () => {
      const n = await ctl.api<{ online: boolean }>('GET', `/api/nodes/${node.id}`)
      return n.body.online
    }, 'node online after garbage')
    const health = await stats(ctl)
    expect(health.status).toBe('ok')
    expect(heapUsed() - heapBefore).toBeLessThan(96 * 1024 * 1024)
  }, 60_000)
})
