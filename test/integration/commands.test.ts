import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'

interface Command {
  id: string
  nodeId: string
  kind: string
  status: string
  error: string | null
  result: Record<string, unknown> | null
}

async function send(ctl: TestController, nodeId: string, body: unknown) {
  const r = await ctl.api<Command>('POST', `/api/nodes/${nodeId}/commands`, body)
  expect(r.status).toBe(201)
  return r.body
}

async function settled(ctl: TestController, nodeId: string, id: string): Promise<Command> {
  return waitFor(
    async () => {
      const list = (await ctl.api<Command[]>('GET', `/api/nodes/${nodeId}/commands`)).body
      const c = list.find((x) => x.id === id)
      return c && c.status !== 'pending' ? c : null
    },
    `command ${id} settled`,
    15_000,
  )
}

describe('remote commands', () => {
  it('pings, plays a test tone and sets the volume, each acknowledged by the agent', async () => {
    const ctl = await startController()
    const a = await startAgent(ctl, { name: '西海路 3', sink: 'wav' })
    await waitFor(
      async () => (await ctl.api<{ online: boolean }>('GET', `/api/nodes/${a.nodeId}`)).body.online,
      'online',
    )

    const ping = await settled(ctl, a.nodeId, (await send(ctl, a.nodeId, { kind: 'ping' })).id)
    expect(ping.status).toBe('ok')
    expect(ping.result?.rttMs).toBeGreaterThanOrEqual(0)

    const tone = await settled(
      ctl,
      a.nodeId,
      (await send(ctl, a.nodeId, { kind: 'testTone', params: { seconds: 0.5 } })).id,
    )
    expect(tone.status).toBe('ok')

    const vol = await settled(
      ctl,
      a.nodeId,
      (await send(ctl, a.nodeId, { kind: 'setVolume', params: { volume: 40 } })).id,
    )
    expect(vol.status).toBe('ok')

    const bad = await ctl.api('POST', `/api/nodes/${a.nodeId}/commands`, { kind: 'setVolume' })
    expect(bad.status).toBe(422)
    expect(
      (await ctl.api('POST', `/api/nodes/${a.nodeId}/commands`, { kind: 'selfDestruct' })).status,
    ).toBe(400)
    expect(
      (await ctl.api('POST', '/api/nodes/node-0000000000/commands', { kind: 'ping' })).status,
    ).toBe(404)
  })

  it('resyncs: the agent asks for its plan again and re-applies it', async () => {
    const ctl = await startController()
    const a = await startAgent(ctl, { name: '工具厂 3', zone: '工具厂社区' })
    await once(a.agent.events, 'planApplied')
    const again = once(a.agent.events, 'planApplied')
    const cmd = await send(ctl, a.nodeId, { kind: 'resync' })
    expect((await settled(ctl, a.nodeId, cmd.id)).status).toBe('ok')
    await again
  })

  it('expires a command to a node that is offline', async () => {
    const ctl = await startController()
    const node = await ctl.register('离线节点')
    const cmd = await send(ctl, node.id, { kind: 'ping', ttlSec: 1 })
    expect((await settled(ctl, node.id, cmd.id)).status).toBe('expired')
  })

  it('sends a command to a whole zone and reports per node', async () => {
    const ctl = await startController()
    const zone = (await ctl.api<{ id: string }>('POST', '/api/zones', { name: '二十里铺镇' })).body
    const village = (
      await ctl.api<{ id: string }>('POST', '/api/zones', { name: '宋家寨村', parentId: zone.id })
    ).body
    const agents = await Promise.all([
      startAgent(ctl, { name: 'a', zone: village.id, sink: 'null' }),
      startAgent(ctl, { name: 'b', zone: zone.id, sink: 'null' }),
    ])
    const outsider = await startAgent(ctl, { name: 'c', zone: '西海路社区', sink: 'null' })
    await waitFor(
      async () =>
        (await ctl.api<{ online: number }>('GET', '/api/fleet/summary')).body.online === 3,
      'online',
    )
    const r = await ctl.api<{ batchId: string; commands: Command[] }>(
      'POST',
      `/api/zones/${zone.id}/commands`,
      { kind: 'ping' },
    )
    expect(r.status).toBe(201)
    expect(r.body.commands.map((c) => c.nodeId).sort()).toEqual(agents.map((a) => a.nodeId).sort())
    expect(r.body.commands.map((c) => c.nodeId)).not.toContain(outsider.nodeId)
    const done = await waitFor(async () => {
      const b = (
        await ctl.api<{ commands: Command[] }>('GET', `/api/commands/batches/${r.body.batchId}`)
      ).body
      return b.commands.every((c) => c.status === 'ok') ? b : null
    }, 'batch done')
    expect(done.commands).toHaveLength(2)
  })
})
