import type { MqttClient } from 'mqtt'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createDynsecAccounts } from '../../controller/mqtt/dynsec.js'
import { systemClock } from '../../controller/platform/time.js'
import { nodeTopic } from '../../protocol/index.js'
import { quietLog } from '../helpers/log.js'
import { startDynsecMosquitto } from '../helpers/mosquitto.js'
import { connectError, connectRaw, nextMessage } from '../helpers/mqtt.js'

/** Resolves when the broker ends the client's session. */
function closes(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()))
}

async function accountsOn(broker: Awaited<ReturnType<typeof startDynsecMosquitto>>) {
  const accounts = createDynsecAccounts({
    url: broker.url,
    ...broker.admin,
    log: quietLog(),
    clock: systemClock,
  })
  await accounts.start()
  onTestFinished(() => accounts.stop())
  return accounts
}

describe('mosquitto with dynamic security: node accounts', () => {
  it('lets a node in with its secret, on its own topics only', async () => {
    const broker = await startDynsecMosquitto()
    const accounts = await accountsOn(broker)
    accounts.setNode('node-a', 'secret-a')
    accounts.setNode('node-b', 'secret-b')
    await accounts.idle()

    expect(await connectError(broker.url, { username: 'node-a', password: 'wrong' })).not.toBeNull()
    const a = await connectRaw(broker.url, {
      username: 'node-a',
      password: 'secret-a',
      protocolVersion: 5,
    })
    const ctl = await connectRaw(broker.url, { ...broker.admin, protocolVersion: 5 })

    // Its plan reaches it; the controller receives its events.
    const plan = nextMessage(a, nodeTopic('node-a', 'plan'))
    await a.subscribeAsync(nodeTopic('node-a', 'plan'), { qos: 1 })
    await ctl.publishAsync(nodeTopic('node-a', 'plan'), 'the plan', { qos: 1 })
    expect((await plan).toString()).toBe('the plan')
    const event = nextMessage(ctl, nodeTopic('node-a', 'events'))
    await ctl.subscribeAsync(nodeTopic('node-a', 'events'), { qos: 1 })
    await a.publishAsync(nodeTopic('node-a', 'events'), 'e1', { qos: 1 })
    expect((await event).toString()).toBe('e1')
    // The fleet-wide topic is readable.
    const fleet = await a.subscribeAsync('chorus/v1/fleet/rebirth', { qos: 1 })
    expect(fleet[0]?.qos).toBe(1)

    // Another node's topics are refused: subscribe answered 0x87, publish answered 0x87.
    await expect(a.subscribeAsync(nodeTopic('node-b', 'plan'), { qos: 1 })).rejects.toThrow(
      /Not authorized/i,
    )
    await expect(a.subscribeAsync('chorus/v1/nodes/+/plan', { qos: 1 })).rejects.toThrow(
      /Not authorized/i,
    )
    await expect(
      a.publishAsync(nodeTopic('node-b', 'events'), 'forged', { qos: 1 }),
    ).rejects.toThrow(/Not authorized/i)
    // Nor may it publish on its own plan.
    await expect(a.publishAsync(nodeTopic('node-a', 'plan'), 'x', { qos: 1 })).rejects.toThrow(
      /Not authorized/i,
    )
  })

  it('rotation: the old secret is refused and its session ended, the new one accepted', async () => {
    const broker = await startDynsecMosquitto()
    const accounts = await accountsOn(broker)
    accounts.setNode('node-r', 'old-secret')
    await accounts.idle()
    const live = await connectRaw(broker.url, { username: 'node-r', password: 'old-secret' })
    const closed = closes(live)

    accounts.setNode('node-r', 'new-secret')
    await accounts.idle()
    await closed
    expect(
      await connectError(broker.url, { username: 'node-r', password: 'old-secret' }),
    ).not.toBeNull()
    expect(
      await connectError(broker.url, { username: 'node-r', password: 'new-secret' }),
    ).toBeNull()
  })

  it('retirement: the live session is dropped and reconnecting is refused', async () => {
    const broker = await startDynsecMosquitto()
    const accounts = await accountsOn(broker)
    accounts.setNode('node-x', 'secret-x')
    await accounts.idle()
    const live = await connectRaw(broker.url, { username: 'node-x', password: 'secret-x' })
    const closed = closes(live)

    accounts.removeNode('node-x')
    await accounts.idle()
    await closed
    expect(
      await connectError(broker.url, { username: 'node-x', password: 'secret-x' }),
    ).not.toBeNull()
  })

  it('reconcile deletes retired and unknown clients, reports active ones it cannot recreate', async () => {
    const broker = await startDynsecMosquitto()
    const accounts = await accountsOn(broker)
    for (const id of ['node-keep', 'node-old', 'node-stray']) accounts.setNode(id, `s-${id}`)
    await accounts.idle()
    // A client of some other service on the same broker (no node role).
    const admin = await connectRaw(broker.url, broker.admin)
    const created = nextMessage(admin, '$CONTROL/dynamic-security/v1/response')
    const monitor = { command: 'createClient', username: 'monitor', password: 'monitor-pw' }
    await admin.publishAsync(
      '$CONTROL/dynamic-security/v1',
      JSON.stringify({ commands: [monitor] }),
    )
    expect((await created).toString()).not.toMatch(/error/)

    const nodes = [
      { id: 'node-keep', retired: false },
      { id: 'node-old', retired: true },
      { id: 'node-new', retired: false },
    ]
    const result = await accounts.reconcile(nodes)
    expect(result.deleted.sort()).toEqual(['node-old', 'node-stray'])
    expect(result.missing).toEqual(['node-new'])
    // Idempotent: a second pass changes nothing.
    expect(await accounts.reconcile(nodes)).toEqual({ deleted: [], missing: ['node-new'] })
    expect(
      await connectError(broker.url, { username: 'node-keep', password: 's-node-keep' }),
    ).toBeNull()
    expect(
      await connectError(broker.url, { username: 'node-old', password: 's-node-old' }),
    ).not.toBeNull()
    // The controller's own client, and any other client of a shared broker, survive.
    expect(await connectError(broker.url, broker.admin)).toBeNull()
    const other = { username: 'monitor', password: 'monitor-pw' }
    expect(await connectError(broker.url, other)).toBeNull()
  })
})
