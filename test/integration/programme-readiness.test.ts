import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { rawNode } from '../helpers/node-client.js'
import { horizon, planOf, startNode, uploadTone } from './programme-fixtures.js'

interface Readiness {
  date: string
  ready: number
  total: number
  notReady: {
    nodeId: string
    reason: string
    missing: { itemId: string; title: string }[]
  }[]
}

interface PlanStatus {
  overall: { current: number; total: number }
  dates: { date: string; current: number; total: number }[]
}

describe('GET /api/readiness', () => {
  it('names the node that cannot download a file it needs, and what it would miss', async () => {
    const ctl = await startController()
    const news = await uploadTone(ctl, '明日新闻', 1)
    const good = await startNode(ctl, { name: '好喇叭' })
    const date = (await horizon(ctl))[1]?.date as string
    await ctl.api('PUT', `/api/days/${date}`, {
      items: [{ id: 'news', start: '08:00:00', audioId: news.id, title: '' }],
    })
    // Plans are published after the PUT answers; readiness reads the published plan.
    await ctl.plansPublished()
    const readiness = async () =>
      (await ctl.api<Readiness>('GET', `/api/readiness?date=${date}`)).body
    await waitFor(async () => (await readiness()).ready === 1, 'the first node ready')
    // The file vanishes from the controller's store: a node that joins now cannot fetch it.
    rmSync(join(ctl.dataDir, 'audio', `${news.sha256}.mp3`))
    const late = await startNode(ctl, { name: '新装喇叭' })
    const r = await waitFor(async () => {
      const body = await readiness()
      return body.notReady[0]?.reason === 'missing' ? body : null
    }, 'the second node to report what it misses')
    expect(r).toMatchObject({ date, ready: 1, total: 2 })
    expect(r.notReady).toEqual([
      expect.objectContaining({
        nodeId: late.nodeId,
        missing: [expect.objectContaining({ itemId: `${date}/news`, title: '明日新闻' })],
      }),
    ])
    expect(r.notReady.map((n) => n.nodeId)).not.toContain(good.nodeId)
    const status = await waitFor(async () => {
      const body = (await ctl.api<PlanStatus>('GET', '/api/plans/status')).body
      return body.overall.current === 2 ? body : null
    }, 'both nodes on the current plan')
    expect(status.dates.every((d) => d.current === 2 && d.total === 2)).toBe(true)
  }, 30_000)
})

describe('GET /api/plans/status', () => {
  it('counts a node as current for the dates a change did not touch', async () => {
    const ctl = await startController()
    const a = await uploadTone(ctl, 'a', 1)
    const node = await rawNode(ctl, 'raw')
    const applied = async (version: string) => {
      const event = { id: randomUUID(), at: new Date().toISOString(), type: 'plan.applied' }
      const payload = { v: 1, events: [{ ...event, planVersion: version, itemCount: 0 }] }
      await node.events(payload.events)
    }
    const v1 = (await planOf(ctl, node.id)).version
    const before = (await ctl.api<PlanStatus>('GET', '/api/plans/status')).body
    expect(before.overall).toEqual({ current: 0, total: 1 })
    await applied(v1)
    await waitFor(
      async () => (await ctl.api<PlanStatus>('GET', '/api/plans/status')).body.overall.current,
      'the node on v1',
    )
    const days = await horizon(ctl)
    await ctl.api('PUT', '/api/templates/rest', { items: [{ start: '09:00:00', audioId: a.id }] })
    expect((await planOf(ctl, node.id)).version).not.toBe(v1)
    const after = (await ctl.api<PlanStatus>('GET', '/api/plans/status')).body
    expect(after.overall).toEqual({ current: 0, total: 1 })
    for (const d of after.dates) {
      const type = days.find((x) => x.date === d.date)?.type
      expect([d.date, d.current]).toEqual([d.date, type === 'working' ? 1 : 0])
    }
  })
})
