import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { nodeTopic, type ReceiptMessage } from '../../protocol/index.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { rawNode } from '../helpers/node-client.js'
import { makeNodeKey, signedEvents } from '../helpers/signed-events.js'

const NODES = 8
const PER_MESSAGE = 50

function failed() {
  const at = new Date().toISOString()
  return {
    id: randomUUID(),
    type: 'play.failed',
    at,
    itemId: `${at.slice(0, 10)}/t080000`,
    scheduledAt: at,
    reason: 'download',
  }
}

describe('ingest: signatures checked on worker threads under a burst', () => {
  it('stores each signed event once, resends included, receipts only what it stored, and refuses forgeries', async () => {
    const ctl = await startController()
    const nodes = await Promise.all(
      Array.from({ length: NODES }, (_, i) => rawNode(ctl, `二十里铺 ${i + 1}`)),
    )
    const receipted = new Map<string, string[]>()
    for (const n of nodes) {
      receipted.set(n.id, [])
      n.client.on('message', (topic, payload) => {
        if (topic !== nodeTopic(n.id, 'receipt')) return
        receipted.get(n.id)?.push(...(JSON.parse(payload.toString()) as ReceiptMessage).stored)
      })
      await n.client.subscribeAsync(nodeTopic(n.id, 'receipt'), { qos: 1 })
    }
    const mallory = makeNodeKey()
    const sent = new Map<string, string[]>()
    const forged: string[] = []
    // Every node at once: two messages of 50, the first sent again (no receipt yet), a forgery.
    const publishes = nodes.flatMap((n) => {
      const a = Array.from({ length: PER_MESSAGE }, failed)
      const b = Array.from({ length: PER_MESSAGE }, failed)
      const fake = failed()
      forged.push(fake.id)
      sent.set(
        n.id,
        [...a, ...b].map((e) => e.id),
      )
      const topic = nodeTopic(n.id, 'events')
      return [
        signedEvents(n.key, a),
        signedEvents(n.key, b),
        signedEvents(n.key, a),
        signedEvents(mallory, [fake]),
      ].map((p) => n.client.publishAsync(topic, p, { qos: 1 }))
    })
    await Promise.all(publishes)
    await waitFor(
      () => nodes.every((n) => new Set(receipted.get(n.id)).size === 2 * PER_MESSAGE),
      'every event receipted',
      60_000,
    )
    const deps = ctl.controller.deps
    if (!deps) throw new Error('not started')
    // The burst went past the event loop's own allowance: worker threads checked part of it.
    expect(deps.services.verify.stats().threaded).toBeGreaterThan(0)
    for (const n of nodes) {
      const stored = (deps.repos.events.recentPlays(n.id, 1000) as { eventId: string }[])
        .map((r) => r.eventId)
        .sort()
      expect(stored).toEqual([...(sent.get(n.id) ?? [])].sort())
      expect(receipted.get(n.id)?.filter((id) => forged.includes(id))).toEqual([])
    }
    const health = (await ctl.api<{ ingest: { stored: number } }>('GET', '/api/health')).body
    expect(health.ingest.stored).toBe(NODES * 2 * PER_MESSAGE)
  }, 120_000)
})
