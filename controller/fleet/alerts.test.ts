import { once } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { type ServiceFixture, serviceFixture } from '../testing/service-fixture.js'
import { createAlerts } from './alerts.js'
import { createIncidents } from './incidents.js'
import { createNodeHealth } from './node-health.js'
import { createWebhook } from './webhook.js'

const EVERY_MS = 60_000

/** The alert service with its real neighbours (health, incidents, webhook), started. */
function alertsOn(f: ServiceFixture, webhook: { url: string; retryBaseMs?: number } = { url: '' }) {
  const zoneLineage = f.provisioning.zoneLineage
  const health = createNodeHealth({
    ...f,
    thresholds: {
      clockOffsetMaxMs: 1000,
      clockUncertaintyMaxMs: 1000,
      lateStartMaxMs: 3000,
      diskMinFreeMb: 100,
    },
    telemetryOf: f.fleet.telemetryOf,
  })
  const incidents = createIncidents({ ...f, windowMs: 1000, minNodes: 3, zoneLineage })
  const hook = createWebhook({
    ...f,
    url: webhook.url,
    maxAttempts: 3,
    retryBaseMs: webhook.retryBaseMs ?? 1000,
  })
  const alerts = createAlerts({
    ...f,
    intervalMs: EVERY_MS,
    health,
    incidents,
    webhook: hook,
    isFlapping: f.fleet.isFlapping,
    zoneLineage,
  })
  health.start()
  incidents.start()
  alerts.start()
  onTestFinished(() => {
    alerts.stop()
    incidents.stop()
    health.stop()
    hook.stop()
  })
  return alerts
}

describe('alerts on a manual clock', () => {
  it('raises nodeOffline once the node has been offline 5 minutes, and resolves it on return', async () => {
    const f = serviceFixture()
    const alerts = alertsOn(f)
    const id = f.addNode('严小村 1号', '严小村')
    f.birth(id)
    f.will(id)
    await f.clock.advance(4 * EVERY_MS)
    expect(f.repos.alerts.open()).toEqual([])
    await f.clock.advance(EVERY_MS)
    expect(f.repos.alerts.open()).toMatchObject([
      { kind: 'nodeOffline', nodeId: id, message: '严小村 1号 offline for 5 min' },
    ])
    const alertId = f.repos.alerts.open()[0]?.id ?? ''

    f.birth(id, 'boot-2')
    await f.clock.advance(EVERY_MS)
    expect(f.repos.alerts.open()).toEqual([])
    expect(f.repos.alerts.get(alertId)).toMatchObject({ resolution: 'auto' })
    // One pass per tick of the timer, however long the clock ran; the whole fleet is read only
    // after a change (the will, the birth) or when the offline alert is due (5 min after).
    expect(alerts.stats()).toMatchObject({ fullPasses: 3, skippedPasses: 3 })
  })

  it('reads no node on a quiet tick, and still raises and clears by time alone', async () => {
    const f = serviceFixture()
    const alerts = alertsOn(f)
    const [quiet, gone, flappy] = ['严小村 1号', '严小村 2号', '严小村 3号'].map((n) =>
      f.addNode(n, '严小村'),
    ) as [string, string, string]
    f.birth(quiet)
    f.birth(gone)
    const reads = vi.spyOn(f.repos.nodes, 'list')
    await f.clock.advance(EVERY_MS)
    expect(reads).toHaveBeenCalledTimes(1)
    // Nothing changes: ticks pass without reading the nodes table.
    await f.clock.advance(3 * EVERY_MS)
    expect(reads).toHaveBeenCalledTimes(1)
    expect(alerts.stats()).toMatchObject({ fullPasses: 1, skippedPasses: 3 })

    // A node goes offline: read once at the next tick, then not until its alert is due.
    f.will(gone)
    await f.clock.advance(EVERY_MS)
    expect(reads).toHaveBeenCalledTimes(2)
    await f.clock.advance(3 * EVERY_MS)
    expect(reads).toHaveBeenCalledTimes(2)
    expect(f.repos.alerts.open()).toEqual([])
    await f.clock.advance(EVERY_MS)
    expect(reads).toHaveBeenCalledTimes(3)
    expect(f.repos.alerts.open()).toMatchObject([{ kind: 'nodeOffline', nodeId: gone }])

    // Flapping ends with time, with no event: its alert still clears.
    for (let i = 0; i < 3; i++) {
      f.birth(flappy, `boot-${i}`)
      f.will(flappy, `boot-${i}`)
    }
    f.birth(flappy, 'boot-9')
    await f.clock.advance(EVERY_MS)
    expect(f.repos.alerts.open().map((a) => a.kind)).toContain('nodeFlapping')
    // The fixture's flap window is 600 s.
    await f.clock.advance(11 * EVERY_MS)
    expect(f.repos.alerts.open().map((a) => a.kind)).not.toContain('nodeFlapping')
    const after = reads.mock.calls.length
    await f.clock.advance(3 * EVERY_MS)
    expect(reads).toHaveBeenCalledTimes(after)
  })

  it('evaluates a burst of failed plays once, on the next turn of the event loop', async () => {
    const f = serviceFixture()
    const alerts = alertsOn(f)
    const id = f.addNode('晋家湾 1号', '晋家湾')
    f.birth(id)
    for (let i = 0; i < 20; i++) {
      f.bus.emit('playReported', {
        nodeId: id,
        eventId: `e-${i}`,
        itemId: `2026-11-27/${i}`,
        type: 'play.failed',
        at: new Date(f.clock.now()).toISOString(),
        date: '2026-11-27',
        reason: 'audio-missing',
      })
    }
    await f.clock.advance(0)
    expect(alerts.stats()).toMatchObject({ nodePasses: 1, fullPasses: 0 })
    expect(f.repos.alerts.open()).toMatchObject([
      { kind: 'playFailed', nodeId: id, message: '晋家湾 1号: 20 play(s) failed (audio-missing)' },
    ])
  })

  it('retries a failed webhook delivery after the backoff on the clock', async () => {
    const bodies: string[] = []
    const server = createServer((req: IncomingMessage, res) => {
      let body = ''
      req.on('data', (c: Buffer) => {
        body += c.toString()
      })
      req.on('end', () => {
        bodies.push(body)
        res.statusCode = bodies.length === 1 ? 503 : 204
        res.end()
      })
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`

    const f = serviceFixture()
    alertsOn(f, { url, retryBaseMs: 30_000 })
    const id = f.addNode('宋家寨 1号', '宋家寨')
    f.birth(id)
    f.will(id)
    await f.clock.advance(5 * EVERY_MS)
    // The first attempt is refused (503); the retry waits for the clock, not for real time.
    await vi.waitFor(() => expect(f.repos.alerts.deliveries()).toHaveLength(1), { timeout: 10_000 })
    expect(bodies).toHaveLength(1)
    await f.clock.advance(29_000)
    expect(bodies).toHaveLength(1)
    await f.clock.advance(1_000)
    await vi.waitFor(() => expect(f.repos.alerts.deliveries()).toHaveLength(2), { timeout: 10_000 })
    expect(f.repos.alerts.deliveries().map((d) => [d.attempt, d.delivered])).toEqual([
      [2, true],
      [1, false],
    ])
    expect(JSON.parse(bodies[1] ?? '{}')).toMatchObject({
      event: 'opened',
      alert: { kind: 'nodeOffline', nodeId: id },
    })
  })
})
