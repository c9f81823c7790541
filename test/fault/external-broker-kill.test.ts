import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { nodeTopic } from '../../protocol/index.js'
import { startController } from '../helpers/controller.js'
import { spawnControllerProcess } from '../helpers/controller-process.js'
import { startMosquitto } from '../helpers/mosquitto.js'
import { connectRaw, waitFor } from '../helpers/mqtt.js'
import { freePorts } from '../helpers/presence.js'
import { makeNodeKey, registerNodeKey, signedEvents } from '../helpers/signed-events.js'
import { tmpDir } from '../helpers/tmp-dir.js'

function event(n: number) {
  return {
    id: randomUUID(),
    type: 'play.failed',
    at: new Date().toISOString(),
    itemId: `2026-11-27/t${String(n).padStart(6, '0')}`,
    scheduledAt: '2026-11-27T08:00:00.000+08:00',
    reason: 'late',
  }
}

describe('fault: controller killed on an external broker (mosquitto)', () => {
  it('stores, after its restart, the events nodes published while it was dead', async () => {
    const broker = await startMosquitto()
    const [httpPort] = await freePorts(1)
    const dataDir = tmpDir('chorus-ctl-')
    const brokerArgs = ['--broker-url', broker.url, '--broker-username', 'svc']
    const setup = await startController({ dataDir, args: brokerArgs })
    const nodes = await Promise.all([1, 2, 3].map((i) => setup.register(`二十里铺 ${i}`)))
    const keys = nodes.map((n) => {
      const key = makeNodeKey()
      registerNodeKey(setup, n.id, key)
      return key
    })
    // The admin token lives in the database: the process accepts it too (health details).
    const { headers } = setup
    await setup.stop()
    const args = [...brokerArgs, '--http-port', String(httpPort)]
    // Plain clients: no outbox, so nothing is ever sent twice; only the broker can keep them.
    const clients = await Promise.all(nodes.map((n) => connectRaw(broker.url, { clientId: n.id })))
    const sent: { nodeId: string; id: string }[] = []
    async function publish(round: number) {
      for (const [i, n] of nodes.entries()) {
        const e = event(round)
        sent.push({ nodeId: n.id, id: e.id })
        await clients[i]?.publishAsync(
          nodeTopic(n.id, 'events'),
          signedEvents(keys[i] as ReturnType<typeof makeNodeKey>, [e]),
          { qos: 1 },
        )
      }
    }

    const first = await spawnControllerProcess({ dataDir, args })
    const url = first.url
    await publish(1)
    const count = async () =>
      (
        (await (await fetch(`${url}/api/health`, { headers })).json()) as {
          ingest: { stored: number }
        }
      ).ingest.stored
    await waitFor(async () => (await count()) === 3, 'the first round stored')
    await first.stop('SIGKILL')
    // Dead controller: its session lives on in the broker, which queues these for it.
    await publish(2)
    await publish(3)
    const second = await spawnControllerProcess({ dataDir, args })
    const url2 = second.url
    await waitFor(
      async () =>
        (
          (await (await fetch(`${url2}/api/health`, { headers })).json()) as {
            ingest: { stored: number }
          }
        ).ingest.stored === 6,
      'the events published while it was dead stored',
      20_000,
    )
    await second.stop('SIGTERM')
    const db = new Database(join(dataDir, 'chorus.db'), { readonly: true })
    const rows = db.prepare('SELECT node_id AS nodeId, id FROM events').all()
    db.close()
    const key = (r: { nodeId: string; id: string }) => `${r.nodeId}/${r.id}`
    expect((rows as { nodeId: string; id: string }[]).map(key).sort()).toEqual(sent.map(key).sort())
  }, 90_000)
})
