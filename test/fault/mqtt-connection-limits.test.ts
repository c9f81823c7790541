import { type Socket, connect as tcpConnect } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { LimitEvent } from '../../broker/index.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { connectNode } from '../helpers/node-client.js'

/**
 * Attacks on the embedded broker's port by someone without credentials (issue 10, attack 1):
 * idle sockets by the thousand, CONNECT packets declaring 250 MB, sockets that never send a
 * CONNECT. Real sockets on loopback; the flood comes from other loopback addresses (127.0.0.x),
 * so that the caps per address and in total can be told apart from the legitimate node's.
 */

/** An open TCP socket to the broker from `localAddress`, with how it ended. */
interface Probe {
  socket: Socket
  closed: boolean
}

async function open(port: number, localAddress = '127.0.0.1'): Promise<Probe> {
  const socket = tcpConnect({ port, host: '127.0.0.1', localAddress })
  const probe: Probe = { socket, closed: false }
  socket.on('error', () => undefined)
  socket.on('close', () => {
    probe.closed = true
  })
  onTestFinished(() => {
    socket.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('close', () => resolve())
    socket.once('error', reject)
  })
  return probe
}

const mqttPort = (ctl: TestController) => Number(new URL(ctl.brokerUrl).port)
const closedCount = (probes: Probe[]) => probes.filter((p) => p.closed).length

async function nodeOnline(ctl: TestController, name: string) {
  const node = await connectNode(ctl, await ctl.register(name))
  await node.birth()
  await waitFor(async () => {
    const n = await ctl.api<{ online: boolean }>('GET', `/api/nodes/${node.id}`)
    return n.body.online
  }, `${name} online`)
  return node
}

describe('fault: MQTT connection limits', () => {
  it('refuses idle sockets over the per-address and total caps; HTTP and a real node carry on', async () => {
    const ctl = await startController({
      args: [
        '--mqtt-max-connections',
        '200',
        '--mqtt-max-connections-per-address',
        '50',
        // Long enough that no flood socket is closed for being idle during this test.
        '--mqtt-connect-timeout-ms',
        '120000',
      ],
    })
    const broker = ctl.controller.broker()
    if (!broker) throw new Error('embedded broker expected')
    const port = mqttPort(ctl)

    // 300 idle sockets from one address: 50 stay, 250 are closed at once.
    const single = await Promise.all(Array.from({ length: 300 }, () => open(port, '127.0.0.2')))
    await waitFor(() => closedCount(single) === 250, '250 sockets over the per-address cap closed')
    // A node from another address connects and is seen online; anonymous health answers.
    await nodeOnline(ctl, 'after one-address flood')
    const anon = await ctl.apiWith<Record<string, unknown>>({}, 'GET', '/api/health')
    expect(anon).toMatchObject({ status: 200, body: { status: 'ok' } })

    // 250 more from five other addresses: the total cap (200: the node, the 50 above, and 149
    // of these; the controller is an in-process session, no connection) holds; the rest are
    // closed at once.
    const many = (
      await Promise.all(
        [3, 4, 5, 6, 7].map((a) =>
          Promise.all(Array.from({ length: 50 }, () => open(port, `127.0.0.${a}`))),
        ),
      )
    ).flat()
    await waitFor(() => closedCount(many) === 250 - 149, 'sockets over the total cap closed')
    expect(broker.limitStats().open).toBe(200)
    expect(closedCount(single)).toBe(250)
    // The HTTP API keeps answering, for anyone and with details for a logged-in user.
    expect((await ctl.apiWith({}, 'GET', '/api/health')).status).toBe(200)
    const health = await ctl.api<{ broker: { clients: number } }>('GET', '/api/health')
    expect(health.body.broker.clients).toBe(1)
    const metrics = await fetch(`${ctl.url}/metrics`, { headers: ctl.headers })
    const text = await metrics.text()
    expect(text).toContain('chorus_mqtt_refused_total{reason="max-per-address"} 250')
    expect(text).toContain(`chorus_mqtt_refused_total{reason="max-connections"} ${250 - 149}`)

    // Once the flood goes away, its slots are free again at once.
    for (const p of many) p.socket.destroy()
    await waitFor(() => broker.limitStats().open === 51, 'flood sockets released')
    await nodeOnline(ctl, 'after the flood')
  })

  it('cuts a CONNECT declaring 250 MB after its header, buffering almost nothing', async () => {
    const ctl = await startController({ args: ['--mqtt-connect-timeout-ms', '120000'] })
    const broker = ctl.controller.broker()
    if (!broker) throw new Error('embedded broker expected')
    const cuts: LimitEvent[] = []
    broker.events.on('limited', (e) => cuts.push(e))
    const port = mqttPort(ctl)
    const memBefore = process.memoryUsage().arrayBuffers
    const chunk = Buffer.alloc(64 * 1024, 0x41)
    const SEND = 32 * 1024 * 1024
    // Six attackers at once, each trying to send 32 MB of a packet that declares 250 MB.
    const sent = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const p = await open(port, '127.0.0.2')
        // CONNECT, remaining length 250,000,000 (variable-length integer).
        p.socket.write(Buffer.from([0x10, 0x80, 0xe5, 0x9a, 0x77]))
        let bytes = 0
        while (!p.closed && bytes < SEND) {
          const ok = await new Promise<boolean>((resolve) =>
            p.socket.write(chunk, (err) => resolve(!err)),
          )
          if (!ok) break
          bytes += chunk.length
        }
        await waitFor(() => p.closed, 'attacker socket closed by the broker')
        return bytes
      }),
    )
    // Each was cut long before 32 MB got through (what was sent sat in kernel buffers at most).
    for (const bytes of sent) expect(bytes).toBeLessThan(SEND / 2)
    await waitFor(() => cuts.length === 6, 'six cuts reported')
    for (const cut of cuts) {
      expect(cut.reason).toBe('packet-too-large')
      expect(cut.bytesRead).toBeLessThan(256 * 1024)
    }
    expect(process.memoryUsage().arrayBuffers - memBefore).toBeLessThan(64 * 1024 * 1024)
    // A real node still connects.
    await nodeOnline(ctl, 'after the big CONNECTs')
  })

  it('closes sockets that send no CONNECT, or only part of one, after the connect timeout', async () => {
    const ctl = await startController({ args: ['--mqtt-connect-timeout-ms', '1000'] })
    const port = mqttPort(ctl)
    const silent = await open(port, '127.0.0.2')
    const partial = await open(port, '127.0.0.2')
    // The first bytes of a CONNECT (remaining length 60), then nothing: a slow-loris.
    partial.socket.write(Buffer.from([0x10, 60, 0x00, 0x04, 0x4d, 0x51]))
    const node = await nodeOnline(ctl, 'patient node')
    await waitFor(() => silent.closed && partial.closed, 'idle sockets closed by the timeout')
    // An authenticated node is not subject to it: it is still connected.
    expect(node.client.connected).toBe(true)
  })
})
