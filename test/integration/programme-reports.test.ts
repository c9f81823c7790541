import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { connectNode, type RawNode, rawNode } from '../helpers/node-client.js'
import { uploadTone } from './programme-fixtures.js'

const DAY = '2026-11-27' // a Friday: a working day
const at = (time: string, date = DAY) => Date.parse(`${date}T${time}+08:00`)

interface Counts {
  scheduled: number
  played: number
  silent: number
  interrupted: number
  failed: number
  missed: number
  pending: number
  reasons: Record<string, number>
}
interface DayReport {
  speakers: number
  totals: Counts
  byZone: (Counts & { name: string; nodes: number })[]
  byColumn: (Counts & { name: string | null })[]
  nodes: (Counts & {
    nodeId: string
    isTest: boolean
    items: { itemId: string; status: string; reason: string | null }[]
  })[]
}

async function report(events: RawNode, kinds: Record<string, unknown>[]) {
  const payload = {
    v: 1,
    events: kinds.map((k) => ({
      id: randomUUID(),
      at: new Date(at('12:00:00')).toISOString(),
      ...k,
    })),
  }
  await events.events(payload.events)
}

function play(item: string, rmsDb: number | null) {
  const scheduledAt = new Date(at(`${item.slice(1, 3)}:${item.slice(3, 5)}:00`)).toISOString()
  const base = { itemId: `${DAY}/${item}`, audioId: 'a-x', scheduledAt }
  return [
    { type: 'play.started', ...base, deviationMs: 3 },
    {
      type: 'play.finished',
      ...base,
      startedAt: scheduledAt,
      endedAt: scheduledAt,
      playedMs: 1000,
      sha256: 'a'.repeat(64),
      volume: 80,
      rmsDb,
      peakDb: rmsDb,
    },
  ]
}

async function dayReport(ctl: TestController, query = '') {
  return (await ctl.api<DayReport>('GET', `/api/reports/day?date=${DAY}${query}`)).body
}

describe('GET /api/reports', () => {
  it('tells played, silent, failed, interrupted, missed and pending apart, per node, zone and column', async () => {
    let now = at('11:30:00')
    const ctl = await startController({ clock: clockWithNow(() => now) })
    const audio = await uploadTone(ctl, '新闻', 1)
    const column = (
      await ctl.api<{ id: string }>('POST', '/api/columns', { name: '新闻', colour: '#aa0000' })
    ).body
    const times = [
      '07:30:00',
      '08:00:00',
      '09:00:00',
      '10:00:00',
      '11:00:00',
      '12:00:00',
      '12:30:00',
    ]
    await ctl.api('PUT', '/api/templates/working', {
      items: times.map((start, i) => ({
        start,
        audioId: audio.id,
        ...(i === 1 ? { columnId: column.id } : {}),
      })),
    })
    await ctl.api('PUT', '/api/templates/rest', {
      items: [{ start: '10:00:00', audioId: audio.id }],
    })
    await ctl.plansPublished() // the day's programme is recorded when plans are published
    // First online at 11:30: accountable from then on, so not blamed for 07:30 (its earlier
    // reports still count as proof of play).
    const a = await rawNode(ctl, '西海路 1', '西海路社区')
    await a.birth()
    // Registered from the survey sheet, never installed: not in the day's report at all.
    const b = await ctl.register('工具厂 1', '工具厂社区')
    const testNode = await ctl.api<{ id: string; secret: string }>('POST', '/api/nodes', {
      name: '测试',
      zone: '西海路社区',
      isTest: true,
    })
    await (await connectNode(ctl, testNode.body)).birth()
    // Both births are stored (first online at 11:30) before the clock moves on.
    for (const id of [a.id, testNode.body.id]) {
      await waitFor(
        async () => (await ctl.api<{ online: boolean }>('GET', `/api/nodes/${id}`)).body.online,
        'the birth stored',
      )
    }
    await report(a, [
      ...play('t080000', -20),
      ...play('t090000', -90),
      {
        type: 'play.failed',
        itemId: `${DAY}/t100000`,
        scheduledAt: new Date(at('10:00:00')).toISOString(),
        reason: 'download',
        error: 'HTTP 404',
      },
      {
        type: 'play.interrupted',
        itemId: `${DAY}/t110000`,
        audioId: 'a-x',
        scheduledAt: new Date(at('11:00:00')).toISOString(),
        startedAt: new Date(at('11:00:00')).toISOString(),
        endedAt: new Date(at('11:00:00')).toISOString(),
        playedMs: 400,
        reason: 'preempted',
      },
    ])
    now = at('12:35:00')
    const r = await waitFor(async () => {
      const body = await dayReport(ctl)
      return body.totals.failed === 1 ? body : null
    }, 'the events stored')
    const nodeA = r.nodes.find((n) => n.nodeId === a.id)
    expect(nodeA).toMatchObject({
      scheduled: 6,
      played: 1,
      silent: 1,
      failed: 1,
      interrupted: 1,
      missed: 1,
      pending: 1,
      reasons: { silent: 1, download: 1, preempted: 1, noReport: 1 },
    })
    expect(nodeA?.items.map((i) => `${i.itemId.slice(11)} ${i.status} ${i.reason}`)).toEqual([
      't080000 played null',
      't090000 silent silent',
      't100000 failed download',
      't110000 interrupted preempted',
      't120000 missed noReport',
      't123000 pending null',
    ])
    expect(r.nodes.some((n) => n.nodeId === b.id)).toBe(false)
    // Test nodes are listed but not counted as speakers of the district.
    expect(r.nodes.some((n) => n.isTest)).toBe(true)
    expect(r.speakers).toBe(1)
    expect(r.totals).toMatchObject({ scheduled: 6, played: 1, missed: 1, pending: 1 })
    expect(r.byZone.map((z) => [z.name, z.nodes, z.played])).toEqual(
      expect.arrayContaining([['西海路社区', 1, 1]]),
    )
    expect(r.byZone.some((z) => z.name === '工具厂社区')).toBe(false)
    expect(r.byColumn.find((c) => c.name === '新闻')).toMatchObject({ scheduled: 1, played: 1 })

    const csv = await fetch(`${ctl.url}/api/reports/day?date=${DAY}&format=csv`, {
      headers: ctl.headers,
    })
    expect(csv.headers.get('content-type')).toMatch(/text\/csv; charset=utf-8/)
    expect(csv.headers.get('content-disposition')).toContain(`chorus-day-${DAY}.csv`)
    const bytes = Buffer.from(await csv.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      '日期,节点ID,节点名称,区域,测试节点,计划,已播,补播,无声,被打断,失败,未播,待播,原因',
    )
    expect(lines.find((l) => l.includes(a.id))).toContain(
      '西海路 1,西海路社区,false,6,1,0,1,1,1,1,1,',
    )
    expect(lines).toHaveLength(3)

    // Two days later: the district figure per day type, and a late report changes it.
    now = at('10:00:00', '2026-11-29')
    const summary = async () =>
      (
        await ctl.api<{
          working: { days: number; avgPlayedPerSpeaker: number }
          rest: { days: number; avgPlayedPerSpeaker: number; avgScheduledPerSpeaker: number }
          days: { date: string; dayType: string; scheduled: number; played: number }[]
        }>('GET', `/api/reports/summary?from=${DAY}&to=2026-11-28`)
      ).body
    const s1 = await summary()
    expect(s1.working).toMatchObject({ days: 1, avgPlayedPerSpeaker: 1 })
    expect(s1.rest).toMatchObject({ days: 1, avgPlayedPerSpeaker: 0, avgScheduledPerSpeaker: 1 })
    expect(s1.days.map((d) => [d.date, d.dayType, d.scheduled, d.played])).toEqual([
      [DAY, 'working', 6, 1],
      ['2026-11-28', 'rest', 1, 0],
    ])
    await report(a, play('t123000', -18))
    await waitFor(async () => (await summary()).working.avgPlayedPerSpeaker === 2, 'a late play')

    const sCsv = await fetch(
      `${ctl.url}/api/reports/summary?from=${DAY}&to=2026-11-28&format=csv&lang=en`,
      { headers: ctl.headers },
    )
    const text = (await sCsv.text()).replace(/^\uFEFF/, '')
    expect(text.split('\r\n').slice(0, 3)).toEqual([
      'date,dayType,speakers,scheduled,played,madeGood,silent,interrupted,failed,missed,pending,playedPerSpeaker,speakerDays,avgScheduledPerSpeaker,avgPlayedPerSpeaker',
      `${DAY},working,1,6,2,0,1,1,1,1,0,2,,,`,
      '2026-11-28,rest,1,1,0,0,0,0,0,1,0,0,,,',
    ])
    // Each figure under its own header: the averages per speaker are not under the day counts.
    const s2 = await summary()
    const [header, ...rows] = text
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','))
    const byName = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])))
    expect(byName.find((r) => r.date === 'working-day average')).toMatchObject({
      dayType: 'working',
      speakers: '',
      scheduled: '',
      played: '',
      avgPlayedPerSpeaker: String(s2.working.avgPlayedPerSpeaker),
    })
    expect(byName.find((r) => r.date === 'rest-day average')).toMatchObject({
      scheduled: '',
      avgScheduledPerSpeaker: String(s2.rest.avgScheduledPerSpeaker),
      avgPlayedPerSpeaker: '0',
    })
  })

  it('refuses a range that ends before it starts or spans more than a year', async () => {
    const ctl = await startController()
    for (const q of ['from=2026-02-01&to=2026-01-01', 'from=2024-01-01&to=2026-01-01']) {
      const r = await ctl.api<{ code: string }>('GET', `/api/reports/summary?${q}`)
      expect([r.status, r.body.code]).toEqual([400, 'BAD_REQUEST'])
    }
  })
})
