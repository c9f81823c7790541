import { describe, expect, it } from 'vitest'
import { tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { connectNode } from '../helpers/node-client.js'
import { twoTowns } from '../helpers/zones.js'

interface DayReport {
  dayType: string
  nodes: { nodeId: string; dayType: string }[]
}
interface Summary {
  days: { date: string; dayType: string }[]
  rest: { days: number }
}

describe("分级管理: a town's own rest day in the ledger and its reports", () => {
  it("records the town's day type and shows 休息日 (rest) to the town and on its nodes", async () => {
    const ctl = await startController()
    const { townB, ...registered } = await twoTowns(ctl)
    for (const r of [registered.a, registered.b]) {
      const node = await connectNode(ctl, r)
      await node.birth()
      await waitFor(
        async () =>
          (await ctl.api<{ online: boolean }>('GET', `/api/nodes/${node.id}`)).body.online,
        'the birth stored',
      )
    }
    const today = (await ctl.api<{ date: string }>('GET', '/api/reports/deviation')).body.date
    // Today is a working day for the district; town B makes it its own rest day.
    await ctl.api('PUT', `/api/calendar/${today}`, { type: 'working' })
    const put = await ctl.api('PUT', `/api/calendar/${today}?zone=${townB}`, { type: 'rest' })
    expect(put.status).toBe(200)
    await ctl.plansPublished()

    const ledger = ctl.controller.deps!.repos.programme.datesBetween(today, today)[0]
    expect([ledger?.dayType, ledger?.zoneDayTypes]).toEqual(['working', { [townB]: 'rest' }])

    const report = (await ctl.api<DayReport>('GET', `/api/reports/day?date=${today}`)).body
    expect(report.dayType).toBe('working')
    const typeOf = Object.fromEntries(report.nodes.map((n) => [n.nodeId, n.dayType]))
    expect(typeOf).toEqual({ [registered.a.id]: 'working', [registered.b.id]: 'rest' })

    const schedB = await tokenHeaders(ctl, ['scheduler'], [townB])
    const mine = await ctl.apiWith<DayReport>(schedB, 'GET', `/api/reports/day?date=${today}`)
    expect([mine.body.dayType, mine.body.nodes.map((n) => n.dayType)]).toEqual(['rest', ['rest']])
    const summary = `/api/reports/summary?from=${today}&to=${today}`
    const s = await ctl.apiWith<Summary>(schedB, 'GET', summary)
    expect([s.body.days[0]?.dayType, s.body.rest.days]).toEqual(['rest', 1])
    const district = (await ctl.api<Summary>('GET', summary)).body
    expect(district.days[0]?.dayType).toBe('working')
  })
})
