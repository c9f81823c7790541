import { describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { startExternalBroker } from '../helpers/external-broker.js'
import { waitFor } from '../helpers/mqtt.js'
import { nodesById, type Transition, transitionsOf, waitForPresence } from '../helpers/presence.js'

/** The transitions after `skip`, as `to/reason`. */
function since(list: Transition[], skip: number): string[] {
  return list.slice(skip).map((t) => `${t.to}/${t.reason}`)
}

describe('fault: external broker restart', () => {
  it('marks every node offline with reason broker-restart, then online again', async () => {
    const broker = await startExternalBroker()
    const ctl = await startController({
      args: ['--broker-url', broker.url, '--broker-username', 'svc', '--broker-password', 'pw'],
    })
    expect(ctl.brokerUrl).toBe(broker.url)
    const agents = await Promise.all([1, 2, 3].map(() => startAgent(ctl, { sink: 'null' })))
    const ids = agents.map((a) => a.nodeId)
    await waitForPresence(ctl, ids, true)
    const before = await Promise.all(ids.map((id) => transitionsOf(ctl, id)))

    await broker.close()
    await broker.start()

    // Each node: offline because the broker went away, then online by its birth (or rebirth).
    const after = await waitFor(
      async () => {
        const lists = await Promise.all(ids.map((id) => transitionsOf(ctl, id)))
        const done = lists.every((l, i) => {
          const recent = since(l, before[i]!.length)
          return recent.length >= 2 && l.at(-1)?.to !== 'offline'
        })
        return done ? lists : null
      },
      'every node offline and back online',
      30_000,
      50,
    )
    for (const [i, list] of after.entries()) {
      const recent = since(list, before[i]!.length)
      expect(recent[0]).toBe('offline/broker-restart')
      expect(['online/birth', 'online/rebirth']).toContain(recent[1])
    }
    const nodes = await nodesById(ctl)
    for (const id of ids) expect(nodes.get(id)?.online).toBe(true)
  })
})
