import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { startController } from '../helpers/controller.js'
import { type ControllerProcess, spawnControllerProcess } from '../helpers/controller-process.js'
import { waitFor } from '../helpers/mqtt.js'
import { type OutboxNode, startOutboxNode } from '../helpers/outbox-node.js'
import { freePorts } from '../helpers/presence.js'
import { tmpDir } from '../helpers/tmp-dir.js'

const NODES = 20
/** Events each node adds while its controller is down. */
const WHILE_DOWN = 5

interface Health {
  ingest: { stored: number }
}

/**
 * Nodes keep producing until `stop` resolves; each add is durable (fsync) before the next, so
 * production runs at disk speed, and ingestion is under way whenever the controller dies.
 */
function produceUntil(nodes: OutboxNode[], stop: Promise<unknown>): Promise<void> {
  let done = false
  void stop.finally(() => {
    done = true
  })
  return Promise.all(
    nodes.map(async (n) => {
      while (!done) await n.produce()
    }),
  ).then(() => undefined)
}

async function storedCount(url: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${url}/api/health`, { headers })
  return ((await res.json()) as Health).ingest.stored
}

describe('fault: controller killed while ingesting (embedded broker)', () => {
  it('stores every event each node produced exactly once; outboxes empty only through receipts', async () => {
    const [httpPort, mqttPort] = await freePorts(2)
    const dataDir = tmpDir('chorus-ctl-')
    const args = ['--http-port', String(httpPort), '--mqtt-port', String(mqttPort)]
    // Register the nodes with an in-process controller, then run the real process on its data.
    const setup = await startController({ dataDir })
    const ids = await Promise.all(
      Array.from({ length: NODES }, (_, i) => setup.register(`严小村 ${i + 1}`)),
    )
    const key = (await setup.api<{ publicKeyPem: string }>('GET', '/api/keys/controller')).body
    // The admin token lives in the database: the process accepts it too (health details).
    const { headers } = setup
    await setup.stop()

    let ctl: ControllerProcess = await spawnControllerProcess({ dataDir, args })
    let url = ctl.url
    const brokerUrl = `mqtt://127.0.0.1:${mqttPort}`
    const nodes = await Promise.all(
      ids.map((n) =>
        startOutboxNode({
          id: n.id,
          secret: n.secret,
          brokerUrl,
          controllerKeyPem: key.publicKeyPem,
          dir: join(tmpDir('chorus-outbox-'), 'outbox'),
        }),
      ),
    )

    async function cycle(signal: 'SIGKILL' | 'SIGTERM') {
      const base = await storedCount(url, headers)
      let stopProducing = (): void => undefined
      const stop = new Promise<void>((r) => {
        stopProducing = r
      })
      const producing = produceUntil(nodes, stop)
      // Mid-ingest: some events of this cycle are committed, and more keep coming.
      await waitFor(
        async () => (await storedCount(url, headers)) >= base + 200,
        'ingest under way',
        30_000,
        5,
      )
      const awaiting = nodes.reduce((s, n) => s + n.outbox.awaiting(), 0)
      await ctl.stop(signal)
      stopProducing()
      await producing
      // The broker had acknowledged these, and only a receipt may take them out of the outbox.
      const pending = nodes.reduce((s, n) => s + n.outbox.depth(), 0)
      for (const n of nodes) for (let i = 0; i < WHILE_DOWN; i++) await n.produce()
      ctl = await spawnControllerProcess({ dataDir, args })
      url = ctl.url
      await waitFor(
        () => nodes.every((n) => n.outbox.depth() === 0),
        `every outbox receipted after ${signal}`,
        60_000,
      )
      return { awaiting, pending }
    }

    const killed = await cycle('SIGKILL')
    const terminated = await cycle('SIGTERM')
    await ctl.stop('SIGTERM')

    const db = new Database(join(dataDir, 'chorus.db'), { readonly: true })
    const rows = db.prepare('SELECT node_id AS nodeId, id FROM events').all() as {
      nodeId: string
      id: string
    }[]
    db.close()
    const storedIds = new Set(rows.map((r) => `${r.nodeId}/${r.id}`))
    const lost = nodes.flatMap((n) => n.produced.filter((id) => !storedIds.has(`${n.id}/${id}`)))
    expect(lost).toEqual([])
    let total = 0
    for (const n of nodes) {
      const stored = rows.filter((r) => r.nodeId === n.id).map((r) => r.id)
      expect(stored.sort()).toEqual([...n.produced].sort())
      // Every event left the outbox because a receipt named it, and only then.
      expect(n.receipted()).toBe(n.produced.length)
      total += n.produced.length
    }
    expect(rows).toHaveLength(total)
    // The kills did land mid-ingest, with events out of the outbox's hands but not receipted.
    expect(killed.pending).toBeGreaterThan(0)
    expect(terminated.pending).toBeGreaterThan(0)
    // The figures docs/reliability.md quotes.
    process.stderr.write(
      `ingest-kill: ${NODES} nodes, ${total} events stored once each; at SIGKILL ${killed.awaiting} ` +
        `published awaiting receipt, ${killed.pending} in outboxes; at SIGTERM ` +
        `${terminated.awaiting} / ${terminated.pending}\n`,
    )
  }, 180_000)
})
