/**
 * Issue 13: live sessions and relays in proof of play. A live voice session (real agents, real
 * ffmpeg) shows in the plays list, a node's plays and the day report under its title, with start
 * deviation and level like a segment; its recording is refused to a user outside its zones.
 */
import { describe, expect, it } from 'vitest'
import { instantToLocalDate, instantToLocalTime } from '../../schedules/index.js'
import { chirp, writeRealTime } from '../../testing/live-audio.js'
import { tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { nodesById } from '../helpers/presence.js'
import { startNode, uploadTone } from './programme-fixtures.js'

const TZ = 'Asia/Shanghai'

interface Play {
  itemId: string | null
  type: string
  title?: string
  live?: { kind: string; by: string | null; sessionId: string }
  deviationMs?: number
  offsetMs?: number
}
interface ItemReport {
  itemId: string
  title: string
  kind: string
  status: string
  rmsDb: number | null
  live?: { kind: string }
}
interface DayReport {
  totals: { scheduled: number; played: number }
  deviation: { segments: { itemId: string; title: string; count: number }[] }
  nodes: { nodeId: string; items: ItemReport[]; deviation: { count: number } | null }[]
}

describe('live sessions in proof of play', () => {
  it('shows a live voice play with its title, deviation and level; its recording stays in its zones', async () => {
    const ctl = await startController()
    const hub = ctl.controller.deps?.services.live
    if (!hub) throw new Error('no live hub')
    const zoneA = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '西海路社区' })
    const zoneB = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '严小村' })
    const officer = await ctl.api<{ id: string }>('POST', '/api/users', {
      username: 'wang-office',
      password: 'a-Long-enough-pw-2026',
      roles: ['scheduler'],
      zones: [zoneA.body.id],
    })
    expect(officer.status).toBe(201)
    const node = await startNode(ctl, { name: '喊话喇叭', zone: zoneA.body.id })
    await waitFor(async () => (await nodesById(ctl)).get(node.nodeId)?.online, 'node online')

    // An ordinary segment first (its title in GET /api/nodes/:id/plays too).
    const audio = await uploadTone(ctl, '天气预报', 1, 440)
    const at = Math.ceil((Date.now() + 5000) / 1000) * 1000
    const date = instantToLocalDate(at, TZ)
    const put = await ctl.api('PUT', `/api/days/${date}`, {
      mode: 'add',
      items: [{ id: 'weather', start: instantToLocalTime(at, TZ), audioId: audio.id, title: '' }],
    })
    expect(put.status).toBe(200)
    await new Promise((r) => node.agent.events.once('played', r))

    const played = new Promise((r) => node.agent.events.once('played', r))
    const session = hub.open({
      kind: 'voice',
      zones: [zoneA.body.id],
      by: officer.body.id,
      maxMs: 60_000,
      source: { pcm: true },
    })
    await writeRealTime(session, chirp(1.5), { silenceMs: 300 })
    session.end('ended')
    await played
    await hub.settled(session.id)
    const info = hub.get(session.id)
    const title = `喊话 · wang-office · ${instantToLocalTime(info?.openedAt ?? 0, TZ).slice(0, 5)}`
    const itemId = `live:${session.id}`

    // The plays list: the live play's title, and the facts the UI words in its language.
    const plays = await waitFor(async () => {
      const r = await ctl.api<{ items: Play[] }>('GET', `/api/plays?date=${date}&limit=500`)
      return r.body.items.some((p) => p.itemId === itemId && p.type === 'play.finished')
        ? r.body.items
        : null
    }, 'the live play reported')
    const liveStart = plays.find((p) => p.itemId === itemId && p.type === 'play.started')
    expect(liveStart?.title).toBe(title)
    expect(liveStart?.live).toMatchObject({
      kind: 'voice',
      by: 'wang-office',
      sessionId: session.id,
    })
    expect(typeof liveStart?.deviationMs).toBe('number')

    // A node's plays: titled like the plays list, the segment (its recording's title) and the session.
    const recent = await ctl.api<Play[]>('GET', `/api/nodes/${node.nodeId}/plays`)
    expect(recent.status).toBe(200)
    const titles = new Set(recent.body.map((p) => `${p.itemId} ${p.title}`))
    expect(titles).toEqual(new Set([`${date}/weather 天气预报`, `${itemId} ${title}`]))

    // The day report: per node with its level, in the totals, and in the start deviations.
    const day = await ctl.api<DayReport>('GET', `/api/reports/day?date=${date}`)
    const mine = day.body.nodes.find((n) => n.nodeId === node.nodeId)
    const line = mine?.items.find((i) => i.itemId === itemId)
    expect(line).toMatchObject({ title, kind: 'live', status: 'played', live: { kind: 'voice' } })
    expect(line?.rmsDb).toEqual(expect.any(Number))
    expect(day.body.totals).toMatchObject({ scheduled: 2, played: 2 })
    // A node that joined after playAt (a loaded machine) started at an offset: like a resumed
    // segment, that start is left out of the deviation figures.
    const onTime = (liveStart?.offsetMs ?? 0) === 0
    expect(mine?.deviation?.count).toBe(onTime ? 2 : 1)
    const dev = day.body.deviation.segments.find((s) => s.itemId === itemId)
    expect(dev).toEqual(onTime ? expect.objectContaining({ title, count: 1 }) : undefined)
    const csv = await fetch(`${ctl.url}/api/reports/day?date=${date}&format=csv`, {
      headers: ctl.headers,
    })
    expect(await csv.text()).toMatch(/喊话喇叭,西海路社区,false,2,2,/)

    // The recording: the session's zones only.
    const inZone = await tokenHeaders(ctl, ['scheduler'], [zoneA.body.id])
    const outside = await tokenHeaders(ctl, ['scheduler'], [zoneB.body.id])
    const refused = await ctl.apiWith<{ code: string }>(
      outside,
      'GET',
      `/api/live/${session.id}/recording`,
    )
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN'])
    const rec = await fetch(`${ctl.url}/api/live/${session.id}/recording`, { headers: inZone })
    expect(rec.status).toBe(200)
    expect(
      Buffer.from(await rec.arrayBuffer())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('OggS')
  })
})
