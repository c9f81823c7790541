import { describe, expect, it, vi } from 'vitest'
import { connectAll, type LightNode, lightNode } from '../../scripts/light-fleet.js'
import { startController } from '../helpers/controller.js'
import { captureLog } from '../helpers/log.js'
import { connectError } from '../helpers/mqtt.js'

const NODES = 600

describe('the controller inside its embedded broker (issue 9)', () => {
  it('stays up when every node drops at once while plans are being published to them', async () => {
    const captured = captureLog('warn')
    const ctl = await startController({ log: captured.log })
    const deps = ctl.controller.deps
    if (!deps) throw new Error('no deps')
    const nodes: LightNode[] = []
    const zone = deps.services.provisioning.createZone({ name: '丢包测试区' }).id
    for (let i = 0; i < NODES; i++) {
      const { node, secret } = deps.services.provisioning.registerNode({ name: `drop ${i}`, zone })
      nodes.push(lightNode(ctl.brokerUrl, { id: node.id, secret }))
    }
    await connectAll(nodes)
    // Every birth named no plan: each node is sent its plan.
    await Promise.all(nodes.map((n) => n.nextPlan(null)))
    await vi.waitFor(() => expect(deps.services.nodes.summary().online).toBe(NODES), {
      timeout: 30_000,
      interval: 100,
    })

    // Each node asks for its plan again (a birth naming an old version) and drops in the same
    // turn: the controller publishes NODES plans to sessions that are gone while NODES wills
    // arrive.
    for (const n of nodes) {
      n.birth('stale')
      n.drop()
    }
    await vi.waitFor(() => expect(deps.services.nodes.summary().offline).toBe(NODES), {
      timeout: 30_000,
      interval: 100,
    })

    // Still serving: health answers, and every node reconnecting gets its plan again.
    const health = await ctl.api<{ broker: { connected: boolean } }>('GET', '/api/health')
    expect(health.body.broker.connected).toBe(true)
    await connectAll(nodes)
    await Promise.all(nodes.map((n) => n.nextPlan(null)))
    await vi.waitFor(() => expect(deps.services.nodes.summary().online).toBe(NODES), {
      timeout: 30_000,
      interval: 100,
    })
    const errors = captured.lines().filter((l) => Number(l.level) >= 50)
    expect(JSON.stringify(errors)).not.toMatch(/RangeError|Maximum call stack/)
    expect(errors).toEqual([])
    for (const n of nodes) n.drop()
  })

  it('refuses any network client that presents the controller’s username', async () => {
    const ctl = await startController()
    const username = ctl.controller.deps?.config.brokerUsername ?? ''
    expect(username).not.toBe('')
    for (const password of ['', 'guess', 'x'.repeat(43)]) {
      const err = await connectError(ctl.brokerUrl, {
        clientId: `impostor-${password.length}`,
        username,
        password,
        protocolVersion: 4,
      })
      expect(err?.message).toMatch(/Bad username or password|Not authorized/)
    }
  })
})
