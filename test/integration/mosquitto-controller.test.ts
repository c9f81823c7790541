import { randomUUID } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { describe, expect, it } from 'vitest'
import { nodeTopic, type PlanMessage } from '../../protocol/index.js'
import { startController } from '../helpers/controller.js'
import { connectError, nextMessage, waitFor } from '../helpers/mqtt.js'
import { connectNode } from '../helpers/node-client.js'

function closes(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()))
}

interface Health {
  ingest: { stored: number }
}

describe('controller on mosquitto with dynamic security', () => {
  it('a registered node gets its plan and its events are stored; rotation and retirement revoke it', async () => {
    const ctl = await startController({ broker: 'mosquitto' })
    const node = await ctl.register('二十里铺 1')
    const raw = await connectNode(ctl, node)

    // Spine-like: the birth is answered with the plan, an event is stored.
    const plan = nextMessage(raw.client, nodeTopic(node.id, 'plan'))
    await raw.birth()
    expect((JSON.parse((await plan).toString()) as PlanMessage).nodeId).toBe(node.id)
    await raw.events([
      {
        id: randomUUID(),
        type: 'play.failed',
        at: new Date().toISOString(),
        itemId: '2026-11-27/t080000',
        scheduledAt: '2026-11-27T08:00:00.000+08:00',
        reason: 'late',
      },
    ])
    await waitFor(async () => {
      const h = await ctl.api<Health>('GET', '/api/health')
      return h.body.ingest?.stored === 1
    }, 'the event stored')

    // Another node's plan is refused.
    await expect(
      raw.client.subscribeAsync(nodeTopic('node-someone-else', 'plan'), { qos: 1 }),
    ).rejects.toThrow()

    // Rotation: the session opened with the old secret ends, the old secret is refused.
    const rotatedOff = closes(raw.client)
    const rotated = await ctl.api<{ secret: string }>('POST', `/api/nodes/${node.id}/rotate`)
    expect(rotated.status).toBe(200)
    await rotatedOff
    const login = (password: string) =>
      connectError(ctl.brokerUrl, { clientId: node.id, username: node.id, password })
    expect(await login(node.secret)).not.toBeNull()
    expect(await login(rotated.body.secret)).toBeNull()

    // Retirement: the live session is dropped and reconnecting is refused.
    const again = await connectNode(ctl, { id: node.id, secret: rotated.body.secret })
    const retiredOff = closes(again.client)
    expect((await ctl.api('POST', `/api/nodes/${node.id}/retire`)).status).toBe(200)
    await retiredOff
    expect(await login(rotated.body.secret)).not.toBeNull()
  })
})
