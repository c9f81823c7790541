import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { LiveSessionInfo } from '../../controller/live/hub.js'
import { createZonedTime } from '../../schedules/index.js'
import { startAgent, type TestAgent } from '../helpers/agent.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { waitForPresence } from '../helpers/presence.js'
import { startToneStream } from '../helpers/stream-server.js'
import { readWav } from '../helpers/xcorr.js'

// A relay item (转播) in a day's running order: the controller starts the relay of a live stream
// (a test server's 1 kHz tone, as an Icecast mount would serve it) at the item's start for the
// item's zones, and ends it at the item's end; agents elsewhere hear nothing.

const TZ = 'Asia/Shanghai'

interface Play {
  itemId: string | null
  type: string
  title?: string
  live?: { kind: string }
}

/** The local HH:MM:SS of an instant in the district's time zone. */
const localTime = (ms: number) => {
  const d = new Date(ms + 8 * 3_600_000)
  return d.toISOString().slice(11, 19)
}

/** Zero crossings per second over the middle of a recording: ≈ 2 × the tone's frequency. */
function toneHz(samples: Float32Array, rate: number): number {
  const from = Math.floor(samples.length / 4)
  const to = Math.floor((samples.length * 3) / 4)
  let crossings = 0
  for (let i = from + 1; i < to; i++) {
    if ((samples[i - 1] ?? 0) < 0 !== (samples[i] ?? 0) < 0) crossings++
  }
  return crossings / 2 / ((to - from) / rate)
}

/** The wav recordings an agent made of a session. */
const recordingsOf = (a: TestAgent, id: string) => {
  try {
    return readdirSync(a.wavDir).filter((f) => f.includes(id) && f.endsWith('.wav'))
  } catch {
    return []
  }
}

async function zone(ctl: TestController, name: string): Promise<string> {
  const r = await ctl.api<{ id: string }>('POST', '/api/zones', { name })
  expect(r.status).toBe(201)
  return r.body.id
}

describe('relay items (转播) in the running order', () => {
  it('refuses a relay that is not a stream, has audio, or ends before it starts', async () => {
    const ctl = await startController()
    const date = createZonedTime(TZ).toLocalDate(Date.now())
    const put = (relay: unknown, extra: Record<string, unknown> = {}) =>
      ctl.api<{ code: string; message: string }>('PUT', `/api/days/${date}`, {
        mode: 'add',
        items: [{ start: '19:00:00', audioId: null, title: '县台', relay, ...extra }],
      })
    expect((await put({ url: 'file:///etc/passwd', end: '19:30:00' })).status).toBe(400)
    expect((await put({ url: 'concat:/a|/b', end: '19:30:00' })).status).toBe(400)
    const backwards = await put({ url: 'http://10.0.0.5/county', end: '18:00:00' })
    expect(backwards.status).toBe(422)
    expect(backwards.body.message).toMatch(/ends at 18:00:00, not after its start/)
    const creds = await put({ url: 'http://u:p@10.0.0.5/county', end: '19:30:00' })
    expect(creds.body.message).toMatch(/credentials/)
    // Nothing was saved.
    const day = await ctl.api<{ items: unknown[] }>('GET', `/api/days/${date}`)
    expect(day.body.items).toEqual([])
  })

  it("plays a local live stream on the item's zones from its start to its end", async () => {
    const ctl = await startController()
    const town = await zone(ctl, '二十里铺镇')
    const other = await zone(ctl, '大堡子镇')
    const inTown = await Promise.all([
      startAgent(ctl, { name: '严小村', zone: town }),
      startAgent(ctl, { name: '晋家湾', zone: town }),
    ])
    const elsewhere = await startAgent(ctl, { name: '宋家寨', zone: other })
    await waitForPresence(
      ctl,
      [...inTown, elsewhere].map((a) => a.nodeId),
      true,
    )
    const stream = await startToneStream(1000)
    const hub = ctl.controller.deps?.services.live
    if (!hub) throw new Error('no live hub')

    // The item starts at the next whole second at least 3 s ahead and lasts 6 s.
    const startAt = Math.ceil((Date.now() + 3000) / 1000) * 1000
    const endAt = startAt + 6000
    const date = createZonedTime(TZ).toLocalDate(startAt)
    const saved = await ctl.api('PUT', `/api/days/${date}`, {
      mode: 'add',
      items: [
        {
          id: 'county',
          start: localTime(startAt),
          audioId: null,
          title: '县台新闻转播',
          zones: [town],
          relay: { url: stream.url, end: localTime(endAt) },
        },
      ],
    })
    expect(saved.status).toBe(200)
    // Nothing before the start.
    expect(hub.list()).toEqual([])

    const by = `schedule:${date}/county`
    const session = await waitFor(
      () => hub.list().find((s) => s.by === by) ?? null,
      'the relay started',
      15_000,
    )
    expect(session).toMatchObject({ kind: 'relay', zones: [town] })
    expect(session.openedAt).toBeGreaterThanOrEqual(startAt)
    expect(session.openedAt - startAt).toBeLessThan(2000)
    const ended = await waitFor(
      () => {
        const s: LiveSessionInfo | null = hub.get(session.id)
        return s?.endedAt ? s : null
      },
      'the relay ended',
      20_000,
    )
    expect(ended.endReason).toBe('limit')
    expect(Math.abs((ended.endedAt ?? 0) - endAt)).toBeLessThan(1500)
    await hub.settled(session.id)
    expect(stream.listeners()).toBeGreaterThanOrEqual(1)

    // Both town nodes played the tone for most of the slot (the stream's start-up and the
    // play-out lead take ~1.6 s of it); the other town heard nothing.
    for (const a of inTown) {
      const files = await waitFor(() => {
        const f = recordingsOf(a, session.id)
        return f.length > 0 ? f : null
      }, `${a.nodeId} recorded the relay`)
      // A node that joined too late to sound in step joins again further ahead (a second,
      // `_from<ms>` recording; the first may hold nothing): the longest is what it played.
      const out = files
        .map((f) => readWav(join(a.wavDir, f)))
        .reduce((best, w) => (w.samples.length > best.samples.length ? w : best))
      const seconds = out.samples.length / out.rate
      expect(seconds, a.nodeId).toBeGreaterThan(3)
      expect(seconds, a.nodeId).toBeLessThan(6.5)
      expect(toneHz(out.samples, out.rate)).toBeGreaterThan(950)
      expect(toneHz(out.samples, out.rate)).toBeLessThan(1050)
    }
    expect(recordingsOf(elsewhere, session.id)).toEqual([])
    // The relay did not start again after its end; it is on record with its source.
    expect(hub.list()).toEqual([])
    const records = hub.history(100, 0).filter((r) => r.createdBy === by)
    expect(records).toEqual([expect.objectContaining({ kind: 'relay', source: stream.url })])
  })

  it("plays a relay item of a town's own order on that town's nodes only, titled in proof of play", async () => {
    const ctl = await startController()
    const town = await zone(ctl, '二十里铺镇')
    const other = await zone(ctl, '大堡子镇')
    const inTown = await startAgent(ctl, { name: '严小村', zone: town })
    const elsewhere = await startAgent(ctl, { name: '宋家寨', zone: other })
    await waitForPresence(ctl, [inTown.nodeId, elsewhere.nodeId], true)
    const stream = await startToneStream(1000)
    const hub = ctl.controller.deps?.services.live
    if (!hub) throw new Error('no live hub')

    const startAt = Math.ceil((Date.now() + 3000) / 1000) * 1000
    const endAt = startAt + 5000
    const date = createZonedTime(TZ).toLocalDate(startAt)
    // The town's own order (no item zones: the order's zone is its reach).
    const saved = await ctl.api('PUT', `/api/days/${date}?zone=${town}`, {
      mode: 'add',
      items: [
        {
          id: 'county',
          start: localTime(startAt),
          audioId: null,
          title: '县台新闻转播',
          relay: { url: stream.url, end: localTime(endAt) },
        },
      ],
    })
    expect(saved.status).toBe(200)
    const by = `schedule:${date}/county@${town}`
    const session = await waitFor(
      () => hub.list().find((s) => s.by === by) ?? null,
      "the town order's relay started",
      15_000,
    )
    expect(session.zones).toEqual([town])
    await waitFor(() => (hub.get(session.id)?.endedAt ? true : null), 'the relay ended', 20_000)
    await hub.settled(session.id)
    expect(hub.record(session.id)?.nodeCount).toBe(1)
    const files = await waitFor(() => {
      const f = recordingsOf(inTown, session.id)
      return f.length > 0 ? f : null
    }, 'the town node recorded the relay')
    const out = files
      .map((f) => readWav(join(inTown.wavDir, f)))
      .reduce((best, w) => (w.samples.length > best.samples.length ? w : best))
    expect(toneHz(out.samples, out.rate)).toBeGreaterThan(950)
    expect(recordingsOf(elsewhere, session.id)).toEqual([])

    // Proof of play: the town node's play of the relay, titled with the source's host.
    const host = new URL(stream.url).host
    const plays = await waitFor(async () => {
      const r = await ctl.api<Play[]>('GET', `/api/nodes/${inTown.nodeId}/plays`)
      return r.body.some((p) => p.type === 'play.finished') ? r.body : null
    }, 'the relay play reported')
    expect(plays.map((p) => [p.itemId, p.title, p.live?.kind])).toContainEqual([
      `live:${session.id}`,
      `转播 · ${host}`,
      'relay',
    ])
    const day = await ctl.api<{ nodes: { nodeId: string; items: { title: string }[] }[] }>(
      'GET',
      `/api/reports/day?date=${date}`,
    )
    const lines = new Map(day.body.nodes.map((n) => [n.nodeId, n.items.map((i) => i.title)]))
    expect(lines.get(inTown.nodeId)).toEqual([`转播 · ${host}`])
    expect(lines.get(elsewhere.nodeId)).toEqual([])
  })
})
