import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { type RawNode, rawNode } from '../helpers/node-client.js'
import { uploadTone } from './programme-fixtures.js'

const DAY = '2026-11-27' // a Friday: a working day
const at = (time: string) => Date.parse(`${DAY}T${time}+08:00`)

interface Stats {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** Reports play.started events of `item` with the given deviations, one per event. */
async function starts(node: RawNode, item: string, deviations: number[], extra = {}) {
  const scheduledAt = new Date(at(`${item.slice(1, 3)}:${item.slice(3, 5)}:00`)).toISOString()
  const events = deviations.map((deviationMs) => ({
    id: randomUUID(),
    at: scheduledAt,
    type: 'play.started',
    itemId: `${DAY}/${item}`,
    audioId: 'a-x',
    scheduledAt,
    deviationMs,
    ...extra,
  }))
  await node.events(events)
}

describe('start deviation figures', () => {
  it('gives the fleet p50/p95/p99/max per date, per segment (worst first) and per node', async () => {
    const ctl = await startController({ clock: clockWithNow(() => at('12:00:00')) })
    const audio = await uploadTone(ctl, '新闻', 1)
    await ctl.api('PUT', '/api/templates/working', {
      items: [
        { start: '08:00:00', audioId: audio.id, title: '早间新闻' },
        { start: '09:00:00', audioId: audio.id, title: '政策' },
      ],
    })
    await ctl.plansPublished() // the day's programme (its titles) is recorded at publication
    const a = await rawNode(ctl, '西海路 1', '西海路社区')
    const b = await rawNode(ctl, '工具厂 1', '工具厂社区')
    await a.birth()
    await b.birth()
    // Installed (first online) before their reports are read: they answer for the day.
    for (const id of [a.id, b.id]) {
      await waitFor(
        async () => (await ctl.api<{ online: boolean }>('GET', `/api/nodes/${id}`)).body.online,
        'the birth stored',
      )
    }
    // 100 starts of 08:00 across two nodes: 1..100 ms (signs mixed); 09:00 starts 5 ms late.
    const hundred = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1))
    await starts(a, 't080000', hundred.slice(0, 50))
    await starts(b, 't080000', hundred.slice(50))
    await starts(a, 't090000', [5])
    // Neither a make-good nor a resumed part is a start at the instant.
    await starts(b, 't090000', [3_600_000], { makeGood: true })
    await starts(b, 't090000', [40_000], { offsetMs: 40_000 })

    const dev = await waitFor(async () => {
      const r = await ctl.api<{
        fleet: Stats | null
        segments: (Stats & { itemId: string; title: string })[]
        worst: (Stats & { title: string })[]
        nodes: (Stats & { nodeId: string })[]
      }>('GET', `/api/reports/deviation?date=${DAY}`)
      return r.body.fleet?.count === 101 ? r.body : null
    }, 'the starts stored')
    // 101 values 1..100 and 5: nearest ranks 51, 96 and 100 of the sorted list are 50, 95 and 99.
    expect(dev.fleet).toEqual({ count: 101, p50: 50, p95: 95, p99: 99, max: 100 })
    expect(dev.segments.map((s) => [s.title, s.count, s.p50, s.p95, s.p99, s.max])).toEqual([
      ['早间新闻', 100, 50, 95, 99, 100],
      ['政策', 1, 5, 5, 5, 5],
    ])
    expect(dev.worst[0]?.title).toBe('早间新闻')
    const byNode = new Map(dev.nodes.map((n) => [n.nodeId, n]))
    expect(byNode.get(a.id)).toMatchObject({ count: 51, max: 50 })
    expect(byNode.get(b.id)).toMatchObject({ count: 50, p50: 75, max: 100 })

    const day = await ctl.api<{
      deviation: { fleet: Stats }
      nodes: { nodeId: string; deviation: Stats | null }[]
    }>('GET', `/api/reports/day?date=${DAY}`)
    expect(day.body.deviation.fleet).toEqual(dev.fleet)
    expect(day.body.nodes.find((n) => n.nodeId === b.id)?.deviation).toMatchObject({ p99: 100 })
  })
})
