import { describe, expect, it } from 'vitest'
import { tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { connectNode } from '../helpers/node-client.js'
import { twoTowns } from '../helpers/zones.js'
import { uploadTone } from './programme-fixtures.js'

interface Summary {
  days: { date: string; speakers: number; scheduled: number }[]
}
interface Deviation {
  fleet: { count: number } | null
  nodes: { nodeId: string }[]
}
interface PlanStatus {
  overall: { total: number }
  outdated: { nodeId: string }[]
}
interface Readiness {
  total: number
  notReady: { nodeId: string }[]
}

describe('分级管理: district-wide GETs narrowed to a user limited to zones', () => {
  it('gives summary, deviation, plan status and readiness of its nodes only; no metrics', async () => {
    const ctl = await startController()
    const { townB, ...registered } = await twoTowns(ctl)
    const a = await connectNode(ctl, registered.a)
    const b = await connectNode(ctl, registered.b)
    for (const node of [a, b]) {
      await node.birth()
      await waitFor(
        async () =>
          (await ctl.api<{ online: boolean }>('GET', `/api/nodes/${node.id}`)).body.online,
        'the birth stored',
      )
    }
    const today = (await ctl.api<{ date: string }>('GET', '/api/reports/deviation')).body.date
    const audio = await uploadTone(ctl, '新闻', 1)
    // Every day's template: today and the days of the horizon have a segment for both nodes.
    for (const type of ['working', 'rest']) {
      const put = await ctl.api('PUT', `/api/templates/${type}`, {
        items: [{ start: '23:59:00', audioId: audio.id, title: '晚间新闻' }],
      })
      expect(put.status).toBe(200)
    }
    await ctl.plansPublished()
    const at = `${today}T23:59:00.000+08:00`
    const start = (nodeId: string, id: string) => ({
      nodeId,
      id,
      type: 'play.started',
      at,
      date: today,
      itemId: `${today}/t235900`,
      reason: null,
      body: JSON.stringify({ type: 'play.started', at, scheduledAt: at, deviationMs: 40 }),
      receivedAt: at,
    })
    ctl.controller.deps!.repos.events.insertBatch([start(a.id, 'a1'), start(b.id, 'b1')])

    const schedB = await tokenHeaders(ctl, ['scheduler'], [townB])
    const techB = await tokenHeaders(ctl, ['technician'], [townB])
    const get = async <T>(headers: Record<string, string> | null, path: string) => {
      const r = headers ? await ctl.apiWith<T>(headers, 'GET', path) : await ctl.api<T>('GET', path)
      expect(r.status).toBe(200)
      return r.body
    }

    const summary = `/api/reports/summary?from=${today}&to=${today}`
    expect((await get<Summary>(null, summary)).days[0]).toMatchObject({ speakers: 2 })
    const mine = await get<Summary>(schedB, summary)
    expect(mine.days[0]).toMatchObject({ speakers: 1, scheduled: 1 })
    const csv = await fetch(`${ctl.url}${summary}&format=csv&lang=en`, { headers: schedB })
    expect(await csv.text()).toMatch(new RegExp(`${today},[a-z]+,1,`))

    const deviation = `/api/reports/deviation?date=${today}`
    const whole = await get<Deviation>(null, deviation)
    expect([whole.fleet?.count, whole.nodes.map((n) => n.nodeId).sort()]).toEqual([
      2,
      [a.id, b.id].sort(),
    ])
    for (const headers of [schedB, techB]) {
      const d = await get<Deviation>(headers, deviation)
      expect([d.fleet?.count, d.nodes.map((n) => n.nodeId)]).toEqual([1, [b.id]])
    }

    // Neither node applied its plan (raw clients): both outdated, and neither reported readiness.
    const status = await waitFor(async () => {
      const s = await get<PlanStatus>(null, '/api/plans/status')
      return s.overall.total === 2 ? s : null
    }, 'both nodes planned')
    expect(status.outdated).toHaveLength(2)
    const statusB = await get<PlanStatus>(techB, '/api/plans/status')
    expect([statusB.overall.total, statusB.outdated.map((n) => n.nodeId)]).toEqual([1, [b.id]])
    const ready = `/api/readiness?date=${today}`
    expect((await get<Readiness>(null, ready)).total).toBe(2)
    const readyB = await get<Readiness>(schedB, ready)
    expect([readyB.total, readyB.notReady.map((n) => n.nodeId)]).toEqual([1, [b.id]])

    // The fleet's metrics are district-wide figures: a clear refusal, not the district's data.
    const metrics = await ctl.apiWith<{ message: string }>(techB, 'GET', '/metrics')
    expect([metrics.status, metrics.body.message]).toEqual([
      403,
      expect.stringContaining('not limited to zones'),
    ])
    expect(
      (await ctl.apiWith(await tokenHeaders(ctl, ['technician']), 'GET', '/metrics')).status,
    ).toBe(200)
  })
})
