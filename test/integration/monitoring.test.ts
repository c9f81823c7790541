import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { connectNode, rawNode } from '../helpers/node-client.js'

interface NodeRow {
  id: string
  state: string
  online: boolean
  incidentId: string | null
  degradedReasons: { code: string; message: string }[]
}
interface Alert {
  id: string
  kind: string
  nodeId: string | null
  zoneId: string | null
  resolvedAt: string | null
  resolution: string | null
}

const FAST = [
  '--health-interval-sec',
  '1',
  // These tests send telemetry samples back to back: keep every one.
  '--telemetry-min-interval-sec',
  '0',
  '--incident-window-ms',
  '400',
  '--incident-min-nodes',
  '3',
]

async function nodeRow(ctl: TestController, id: string): Promise<NodeRow> {
  return (await ctl.api<NodeRow>('GET', `/api/nodes/${id}`)).body
}
async function openAlerts(ctl: TestController): Promise<Alert[]> {
  return (await ctl.api<Alert[]>('GET', '/api/alerts?state=open')).body
}
async function setRule(ctl: TestController, kind: string, enabled: boolean, params = {}) {
  const r = await ctl.api('PUT', `/api/alert-rules/${kind}`, { enabled, params })
  expect(r.status).toBe(200)
}

/** A local webhook receiver that fails the first `failures` requests with a 500. */
async function webhookReceiver(failures: number) {
  const received: { event: string; alert: Alert }[] = []
  let calls = 0
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => {
      body += d.toString()
    })
    req.on('end', () => {
      calls++
      if (calls <= failures) {
        res.writeHead(500).end('not now')
        return
      }
      received.push(JSON.parse(body) as { event: string; alert: Alert })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    calls: () => calls,
  }
}

describe('alerts and the webhook', () => {
  it('opens an offline alert, delivers it through two failures, and resolves it when the node returns', async () => {
    const hook = await webhookReceiver(2)
    const ctl = await startController({
      args: [...FAST, '--alert-webhook-url', hook.url, '--webhook-retry-base-ms', '50'],
    })
    await setRule(ctl, 'nodeOffline', true, { minutes: 0 })
    const a = await rawNode(ctl, '西海路 1')
    await a.birth()
    await waitFor(async () => (await nodeRow(ctl, a.id)).online, 'node online')
    a.drop()
    const alert = await waitFor(
      async () =>
        (await openAlerts(ctl)).find((x) => x.kind === 'nodeOffline' && x.nodeId === a.id),
      'offline alert',
    )
    await waitFor(() => hook.received.find((r) => r.event === 'opened'), 'webhook delivery')
    const deliveries = (
      await ctl.api<{ alertId: string; attempt: number; delivered: boolean; statusCode: number }[]>(
        'GET',
        '/api/webhook/deliveries',
      )
    ).body.filter((d) => d.alertId === alert.id)
    expect(deliveries.map((d) => [d.attempt, d.delivered, d.statusCode]).sort()).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 204],
    ])
    const back = await connectNode(ctl, a)
    await back.birth()
    await waitFor(
      () => hook.received.find((r) => r.event === 'resolved' && r.alert.id === alert.id),
      'resolved delivery',
    )
    const all = (await ctl.api<Alert[]>('GET', '/api/alerts?state=all')).body
    expect(all.find((x) => x.id === alert.id)).toMatchObject({ resolution: 'auto' })
  })

  it('lets a technician acknowledge and resolve an alert, which then stays quiet', async () => {
    const ctl = await startController({ args: FAST })
    await setRule(ctl, 'nodeOffline', true, { minutes: 0 })
    const node = await rawNode(ctl, '晋家湾 1', '晋家湾村')
    await node.birth()
    await waitFor(async () => (await nodeRow(ctl, node.id)).online, 'online')
    node.drop()
    const alert = await waitFor(
      async () => (await openAlerts(ctl)).find((x) => x.nodeId === node.id),
      'offline alert',
    )
    const acked = await ctl.api<Alert & { ackedAt: string }>('POST', `/api/alerts/${alert.id}/ack`)
    expect(acked.body.ackedAt).toBeTruthy()
    const resolved = await ctl.api<Alert>('POST', `/api/alerts/${alert.id}/resolve`)
    expect(resolved.body.resolution).toBe('manual')
    // The condition still holds, but the alert does not reopen while it does: saving the rule
    // runs a full evaluation at once (no waiting for the next tick).
    await setRule(ctl, 'nodeOffline', true, { minutes: 0 })
    expect((await openAlerts(ctl)).filter((x) => x.nodeId === node.id)).toEqual([])
    expect((await ctl.api('POST', '/api/alerts/al-nope/ack')).status).toBe(404)
    expect(
      (
        await ctl.api('PUT', '/api/alert-rules/nodeOffline', {
          enabled: true,
          params: { hours: 1 },
        })
      ).status,
    ).toBe(400)
  })
})

describe('nodes not yet installed', () => {
  it('raise no offline alert until they first connect', async () => {
    const ctl = await startController({ args: FAST })
    await setRule(ctl, 'nodeOffline', true, { minutes: 0 })
    await setRule(ctl, 'zoneOffline', true, { percent: 0, minNodes: 1 })
    const fresh = await ctl.register('待安装', '严小村')
    const live = await rawNode(ctl, '已安装', '严小村')
    await live.birth()
    await waitFor(async () => (await nodeRow(ctl, live.id)).online, 'online')
    live.drop()
    const alerts = await waitFor(async () => {
      const open = await openAlerts(ctl)
      return open.some((a) => a.nodeId === live.id) ? open : null
    }, 'alert for the installed node')
    expect(alerts.filter((a) => a.nodeId === fresh.id)).toEqual([])
  })
})

describe('incidents', () => {
  it('turns many nodes of one village dropping at once into one incident, not many alerts', async () => {
    const ctl = await startController({ args: FAST })
    await setRule(ctl, 'nodeOffline', true, { minutes: 0 })
    const village = (await ctl.api<{ id: string }>('POST', '/api/zones', { name: '严小村' })).body
    const other = await rawNode(ctl, '宋家寨 1', '宋家寨村')
    await other.birth()
    const nodes = []
    for (let i = 0; i < 4; i++) nodes.push(await rawNode(ctl, `严小村 ${i}`, village.id))
    for (const n of nodes) await n.birth()
    await waitFor(
      async () =>
        (await ctl.api<{ online: number }>('GET', '/api/fleet/summary')).body.online === 5,
      'all online',
    )
    for (const n of nodes) n.drop()
    const incident = await waitFor(
      async () =>
        (
          await ctl.api<{ id: string; cause: string; zoneId: string; nodeIds: string[] }[]>(
            'GET',
            '/api/incidents',
          )
        ).body[0],
      'incident',
    )
    expect(incident.cause).toBe('zone-outage')
    expect(incident.zoneId).toBe(village.id)
    expect(incident.nodeIds.sort()).toEqual(nodes.map((n) => n.id).sort())
    const alerts = await waitFor(async () => {
      const open = await openAlerts(ctl)
      return open.some((a) => a.kind === 'incident') ? open : null
    }, 'incident alert')
    expect(alerts.filter((a) => a.kind === 'incident')).toHaveLength(1)
    expect(alerts.filter((a) => a.kind === 'nodeOffline')).toEqual([])
    expect((await nodeRow(ctl, nodes[0]!.id)).incidentId).toBe(incident.id)
    expect((await nodeRow(ctl, other.id)).state).toBe('online')
  })
})

describe('flapping', () => {
  it('shows a node that keeps reconnecting as flapping, with one alert', async () => {
    const ctl = await startController({ args: [...FAST, '--flap-threshold', '4'] })
    await setRule(ctl, 'nodeOffline', true, { minutes: 0 })
    const node = await ctl.register('大堡子 1', '大堡子镇')
    for (let i = 0; i < 3; i++) {
      const c = await connectNode(ctl, node)
      await c.birth()
      await waitFor(async () => (await nodeRow(ctl, node.id)).online, 'online')
      c.drop()
      await waitFor(async () => !(await nodeRow(ctl, node.id)).online, 'offline')
    }
    const row = await nodeRow(ctl, node.id)
    expect(row.state).toBe('flapping')
    const alerts = await waitFor(async () => {
      const open = (await openAlerts(ctl)).filter((a) => a.nodeId === node.id)
      return open.length > 0 ? open : null
    }, 'flapping alert')
    expect(alerts.map((a) => a.kind)).toEqual(['nodeFlapping'])
    const transitions = (
      await ctl.api<{ reason: string }[]>('GET', `/api/nodes/${node.id}/transitions`)
    ).body
    expect(transitions).toHaveLength(6)
  })
})

describe('degraded', () => {
  it('marks a node degraded when its clock is off, and says so in words', async () => {
    const ctl = await startController({ args: FAST })
    const n = await rawNode(ctl, '工具厂 1', '工具厂社区')
    await n.birth()
    await n.telemetry({ clockOffsetMs: 2300 })
    const row = await waitFor(async () => {
      const r = await nodeRow(ctl, n.id)
      return r.state === 'degraded' ? r : null
    }, 'degraded')
    expect(row.degradedReasons).toEqual([
      expect.objectContaining({ code: 'clock', message: 'clock off by 2.3 s' }),
    ])
    await n.telemetry({ clockOffsetMs: 12, freeDiskBytes: 5 * 1024 * 1024 })
    const disk = await waitFor(async () => {
      const r = await nodeRow(ctl, n.id)
      return r.degradedReasons[0]?.code === 'disk' ? r : null
    }, 'disk reason')
    expect(disk.degradedReasons).toHaveLength(1)
    await n.telemetry()
    await waitFor(async () => (await nodeRow(ctl, n.id)).state === 'online', 'healthy again')
    const samples = await waitFor(
      async () => {
        const t = (await ctl.api<unknown[]>('GET', `/api/nodes/${n.id}/telemetry`)).body
        return t.length === 3 ? t : null
      },
      'telemetry stored',
      10_000,
    )
    expect(samples[0]).toMatchObject({ clockOffsetMs: 2300 })
  })
})

describe('GET /metrics', () => {
  it('exposes node states, plays, MQTT and HTTP figures in Prometheus text format', async () => {
    const ctl = await startController()
    const n = await rawNode(ctl, '西海路 9')
    await n.birth()
    await waitFor(async () => (await nodeRow(ctl, n.id)).online, 'online')
    const res = await fetch(`${ctl.url}/metrics`, { headers: ctl.headers })
    expect(res.headers.get('content-type')).toMatch(/text\/plain/)
    const text = await res.text()
    expect(text).toMatch(/chorus_nodes\{state="online",zone="西海路社区"\} 1/)
    expect(text).toMatch(/chorus_mqtt_connections \d+/)
    expect(text).toMatch(/chorus_http_request_duration_seconds_bucket/)
    expect(text).toMatch(/chorus_presence_transitions_total\{to="online",reason="birth"\} 1/)
    expect(text).toContain('chorus_process_')
  })

  it('counts nodes by state and zone as they go online, move zone, go offline and retire', async () => {
    const ctl = await startController()
    const a = await rawNode(ctl, '西海路 1')
    const b = await rawNode(ctl, '西海路 2')
    const c = await ctl.register('工具厂 1', '工具厂')
    const toolZone = (await ctl.api<{ zone: string }>('GET', `/api/nodes/${c.id}`)).body.zone
    const nodes = async () => {
      const text = await (await fetch(`${ctl.url}/metrics`, { headers: ctl.headers })).text()
      return text
        .split('\n')
        .filter((l) => l.startsWith('chorus_nodes{'))
        .sort()
    }
    expect(await nodes()).toEqual([
      'chorus_nodes{state="offline",zone="工具厂"} 1',
      'chorus_nodes{state="offline",zone="西海路社区"} 2',
    ])
    await a.birth()
    await b.birth()
    await waitFor(async () => (await nodeRow(ctl, b.id)).online, 'online')
    expect(await nodes()).toEqual([
      'chorus_nodes{state="offline",zone="工具厂"} 1',
      'chorus_nodes{state="online",zone="西海路社区"} 2',
    ])
    // Moving a node to another zone moves its count (the counts are kept, not walked).
    const moved = await ctl.api('PATCH', `/api/nodes/${a.id}`, { zone: toolZone })
    expect(moved.status).toBe(200)
    expect(await nodes()).toEqual([
      'chorus_nodes{state="offline",zone="工具厂"} 1',
      'chorus_nodes{state="online",zone="工具厂"} 1',
      'chorus_nodes{state="online",zone="西海路社区"} 1',
    ])
    b.drop()
    await waitFor(async () => !(await nodeRow(ctl, b.id)).online, 'offline')
    expect(await nodes()).toEqual([
      'chorus_nodes{state="offline",zone="工具厂"} 1',
      'chorus_nodes{state="offline",zone="西海路社区"} 1',
      'chorus_nodes{state="online",zone="工具厂"} 1',
    ])
    expect((await ctl.api('POST', `/api/nodes/${c.id}/retire`)).status).toBe(200)
    expect(await nodes()).toEqual([
      'chorus_nodes{state="offline",zone="西海路社区"} 1',
      'chorus_nodes{state="online",zone="工具厂"} 1',
    ])
  })
})

describe('GET /api/nodes/:id/availability', () => {
  it('counts a node from its first connection, not from its registration', async () => {
    const ctl = await startController()
    const n = await rawNode(ctl, '晋家湾 2', '晋家湾村')
    await n.birth()
    await waitFor(async () => (await nodeRow(ctl, n.id)).online, 'online')
    const days = (
      await ctl.api<{ date: string; onlinePct: number }[]>(
        'GET',
        `/api/nodes/${n.id}/availability?days=2`,
      )
    ).body
    expect(days.length).toBeGreaterThanOrEqual(1)
    expect(days[days.length - 1]!.onlinePct).toBeGreaterThan(90)
  })
})
