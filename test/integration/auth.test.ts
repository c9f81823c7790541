import { describe, expect, it } from 'vitest'
import { nodeTopic } from '../../protocol/index.js'
import { startController } from '../helpers/controller.js'
import { connectError, connectRaw, waitFor } from '../helpers/mqtt.js'

describe('broker authentication and ACL', () => {
  it('refuses a client with a wrong secret, an unknown node and no credentials', async () => {
    const ctl = await startController()
    const node = await ctl.register('西海路 1')
    const wrong = await connectError(ctl.brokerUrl, {
      clientId: node.id,
      username: node.id,
      password: 'not-the-secret',
    })
    expect(wrong?.message).toMatch(/Bad username or password/i)
    const unknown = await connectError(ctl.brokerUrl, {
      clientId: 'node-ffffffffff',
      username: 'node-ffffffffff',
      password: node.secret,
    })
    expect(unknown?.message).toMatch(/Bad username or password/i)
    expect(await connectError(ctl.brokerUrl, { clientId: node.id })).toBeTruthy()
    // The right secret works, and the controller is still healthy.
    await connectRaw(ctl.brokerUrl, { clientId: node.id, username: node.id, password: node.secret })
    const health = await ctl.api<{ status: string }>('GET', '/api/health')
    expect(health.body.status).toBe('ok')
  })

  it("refuses a node's client id that differs from its node id", async () => {
    const ctl = await startController()
    const node = await ctl.register('西海路 2')
    const err = await connectError(ctl.brokerUrl, {
      clientId: 'someone-else',
      username: node.id,
      password: node.secret,
    })
    expect(err?.message).toMatch(/Not authorized/i)
  })

  it("disconnects a node publishing on another node's topic and never stores it", async () => {
    const ctl = await startController()
    const a = await ctl.register('工具厂 1', '工具厂社区')
    const b = await ctl.register('工具厂 2', '工具厂社区')
    const client = await connectRaw(ctl.brokerUrl, {
      clientId: a.id,
      username: a.id,
      password: a.secret,
    })
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
    const forged = {
      v: 1,
      state: 'online',
      nodeId: b.id,
      bootId: 'x',
      agentVersion: 'evil',
      planVersion: null,
    }
    client.publish(nodeTopic(b.id, 'status'), JSON.stringify(forged), { qos: 1 })
    await closed
    const nodes = await ctl.api<{ id: string; online: boolean }[]>('GET', '/api/nodes')
    expect(nodes.body.find((n) => n.id === b.id)?.online).toBe(false)
    expect((await ctl.api('GET', '/api/health')).status).toBe(200)
  })

  it("refuses a node's subscription to another node's plan and to #", async () => {
    const ctl = await startController()
    const a = await ctl.register('严小村 1', '严小村')
    const b = await ctl.register('严小村 2', '严小村')
    const client = await connectRaw(ctl.brokerUrl, {
      clientId: a.id,
      username: a.id,
      password: a.secret,
    })
    const refusedQos = async (filter: string) =>
      client.subscribeAsync(filter, { qos: 1 }).then(
        (granted) => granted[0]?.qos,
        (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0],
      )
    expect(await refusedQos(nodeTopic(b.id, 'plan'))).toBe(128)
    expect(await refusedQos('#')).toBe(128)
    expect(await refusedQos('chorus/v1/nodes/+/events')).toBe(128)
    expect(await refusedQos(nodeTopic(a.id, 'plan'))).toBe(1)
    expect(client.connected).toBe(true)
  })

  it('refuses a retained message from a node', async () => {
    const ctl = await startController()
    const a = await ctl.register('晋家湾 1', '晋家湾')
    const client = await connectRaw(ctl.brokerUrl, {
      clientId: a.id,
      username: a.id,
      password: a.secret,
    })
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
    client.publish(nodeTopic(a.id, 'telemetry'), '{}', { qos: 1, retain: true })
    await closed
    await waitFor(async () => (await ctl.api('GET', '/api/health')).status === 200, 'health')
  })
})
