import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import mqtt from 'mqtt'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { resolveFfmpegPath } from '../audio/index.js'
import { nodeTopic } from '../protocol/index.js'
import { runFleet } from './fleet.js'
import { startLocalBroker } from './testing/local-broker.js'
import { createTestSigner } from './testing/test-signer.js'
import { makeTempDir, silentLogger } from './testing/tmp-dir.js'

/**
 * Answers `POST /api/nodes` like the controller does (a new id and secret per call) and
 * `GET /api/keys/controller` with a signing key of its own.
 */
async function registrationServer() {
  const bodies: unknown[] = []
  const auths: (string | undefined)[] = []
  const signer = createTestSigner()
  const publicKeyPem = signer.pem
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/keys/controller') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(JSON.stringify({ alg: 'Ed25519', publicKeyPem }))
    }
    let text = ''
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString()
    })
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/nodes') return void res.writeHead(404).end()
      bodies.push(JSON.parse(text))
      auths.push(req.headers.authorization)
      const id = `node-${bodies.length}`
      res.writeHead(201, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ id, secret: `secret-${bodies.length}`, name: id }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    auths,
    signer,
  }
}

describe('runFleet', () => {
  it('registers nodes once, runs them all connected, and reuses identities on the next run', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const broker = await startLocalBroker()
    onTestFinished(broker.close)
    const api = await registrationServer()
    const opts = {
      nodes: 5,
      controllerUrl: api.url,
      brokerUrl: broker.url,
      dataDir: dir,
      zones: ['xihailu', 'gongjuchang'],
      log: silentLogger(),
      ffmpegPath: resolveFfmpegPath(),
      batchSize: 2,
      token: 'chorus_test-token',
    }
    const fleet = await runFleet(opts)
    await vi.waitFor(() => expect(fleet.counts().connected).toBe(5), { timeout: 10_000 })
    expect(api.bodies).toEqual([
      { name: 'fleet-001', zone: 'xihailu' },
      { name: 'fleet-002', zone: 'gongjuchang' },
      { name: 'fleet-003', zone: 'xihailu' },
      { name: 'fleet-004', zone: 'gongjuchang' },
      { name: 'fleet-005', zone: 'xihailu' },
    ])
    // Registration carries the API token.
    expect(new Set(api.auths)).toEqual(new Set(['Bearer chorus_test-token']))
    await fleet.stop()
    expect(fleet.counts().connected).toBe(0)

    const again = await runFleet({ ...opts, nodes: 6 })
    onTestFinished(() => again.stop())
    expect(api.bodies).toHaveLength(6)
    expect(again.agents.map((a) => a.nodeId)).toEqual([
      'node-1',
      'node-2',
      'node-3',
      'node-4',
      'node-5',
      'node-6',
    ])
    await vi.waitFor(() => expect(again.counts().connected).toBe(6), { timeout: 10_000 })
  })

  it("writes every agent's files through the one shared writer", async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const broker = await startLocalBroker()
    onTestFinished(broker.close)
    const api = await registrationServer()
    const fleet = await runFleet({
      nodes: 3,
      controllerUrl: api.url,
      brokerUrl: broker.url,
      dataDir: dir,
      log: silentLogger(),
      ffmpegPath: resolveFfmpegPath(),
    })
    onTestFinished(() => fleet.stop())
    await vi.waitFor(() => expect(fleet.counts().connected).toBe(3), { timeout: 10_000 })
    const before = fleet.writer.stats().asked
    // A signed ping to every node: each stores its cmd.ack in its outbox and its command floor.
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
    onTestFinished(() => client.endAsync(true))
    const now = Date.now()
    for (const a of fleet.agents) {
      const cmd = {
        v: 1,
        id: `ping-${a.nodeId}`,
        nodeId: a.nodeId,
        kind: 'ping',
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 60_000).toISOString(),
      }
      await client.publishAsync(nodeTopic(a.nodeId, 'cmd'), JSON.stringify(api.signer.sign(cmd)), {
        qos: 1,
      })
    }
    // Two writes per node at least (the ack in the outbox, the sequence floor), all shared.
    await vi.waitFor(() => expect(fleet.writer.stats().asked - before).toBeGreaterThanOrEqual(6), {
      timeout: 10_000,
    })
  })
})
