/**
 * 分级管理 sweep: every GET route of the access policy, asked by a user of town A (scheduler,
 * technician and installer, limited to town A) for town B's things: ids in the path, `?zone=`,
 * `?node=`. Each route answers a refusal (403) or an answer that says nothing of town B. A new
 * GET route fails this test until it has a row here.
 */
import { describe, expect, it } from 'vitest'
import { ACCESS_POLICY } from '../../controller/http/access-policy.js'
import type { LiveRecord } from '../../controller/live/repositories/live-repository.js'
import { tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { twoTowns } from '../helpers/zones.js'
import { uploadTone } from './programme-fixtures.js'

/** What town B's things are called: none may appear in an answer to town A's user. */
const B_WORDS = ['大堡子镇', '严小村']

/** How a route answers town A's user asking for town B's things. */
type Expect =
  /** A refusal, this status. */
  | { status: 403 | 404 }
  /** 200, with nothing of town B; `has`: and with this of town A (so it is not empty). */
  | { filtered: true; has?: (w: World) => string }
  /** Nothing of any zone in it: the same for everyone (`why`). */
  | { shared: string }
  /** Not for this user's roles (admin, a node, a user not limited to zones). */
  | { role: true }
  /** Checked elsewhere (a socket or a stream), by the test file named. */
  | { elsewhere: string }

type World = Awaited<ReturnType<typeof setUp>>

/** Route → the request town A's user makes for town B's things, and what it must answer. */
const SWEEP: Record<string, { path?: (w: World) => string; expect: Expect }> = {
  'GET /*': { expect: { shared: "the web UI's files" } },
  'GET /next': { expect: { shared: 'a redirect to /' } },
  'GET /next/*': { expect: { shared: 'a redirect to /' } },
  'GET /api/health': { expect: { shared: 'liveness and connection counts' } },
  'GET /api/time': { expect: { shared: 'the clock' } },
  'GET /api/keys/controller': { expect: { shared: "the controller's public key" } },
  'GET /api/docs': { expect: { shared: 'the API description' } },
  'GET /api/docs/openapi.json': { expect: { shared: 'the API description' } },
  'GET /api/docs/json': { expect: { shared: 'the API description' } },
  'GET /api/docs/yaml': { expect: { shared: 'the API description' } },
  'GET /api/docs/static/*': { expect: { shared: 'the API description' } },
  'GET /api/docs/static/index.html': { expect: { shared: 'the API description' } },
  'GET /api/docs/static/swagger-initializer.js': { expect: { shared: 'the API description' } },
  'GET /api/auth/me': { expect: { shared: 'the caller itself' } },
  'GET /api/tokens': { expect: { shared: "the caller's own tokens" } },
  'GET /api/users': { path: () => '/api/users', expect: { role: true } },
  'GET /api/users/:id': { path: () => '/api/users/x', expect: { role: true } },
  'GET /api/audit': { path: () => '/api/audit', expect: { role: true } },
  'GET /api/zones/catalogue': { path: () => '/api/zones/catalogue', expect: { role: true } },
  'GET /api/live/:id/stream': {
    path: (w) => `/api/live/${w.liveB}/stream`,
    expect: { role: true },
  },
  'GET /metrics': { path: () => '/metrics', expect: { status: 403 } },
  'GET /api/webhook/deliveries': { path: () => '/api/webhook/deliveries', expect: { status: 403 } },
  'GET /api/alert-rules': { expect: { shared: "the district's thresholds, read by all" } },

  'GET /api/nodes': { path: () => '/api/nodes', expect: { filtered: true, has: (w) => w.a } },
  'GET /api/nodes/export': { path: () => '/api/nodes/export', expect: { filtered: true } },
  'GET /api/nodes/:id': { path: (w) => `/api/nodes/${w.b}`, expect: { status: 403 } },
  'GET /api/nodes/:id/transitions': {
    path: (w) => `/api/nodes/${w.b}/transitions`,
    expect: { status: 403 },
  },
  'GET /api/nodes/:id/telemetry': {
    path: (w) => `/api/nodes/${w.b}/telemetry`,
    expect: { status: 403 },
  },
  'GET /api/nodes/:id/availability': {
    path: (w) => `/api/nodes/${w.b}/availability`,
    expect: { status: 403 },
  },
  'GET /api/nodes/:id/timing': { path: (w) => `/api/nodes/${w.b}/timing`, expect: { status: 403 } },
  'GET /api/nodes/:id/plays': { path: (w) => `/api/nodes/${w.b}/plays`, expect: { status: 403 } },
  'GET /api/nodes/:id/commands': {
    path: (w) => `/api/nodes/${w.b}/commands`,
    expect: { status: 403 },
  },
  'GET /api/zones': { path: () => '/api/zones', expect: { filtered: true, has: () => '宋家寨村' } },
  'GET /api/map': { path: () => '/api/map', expect: { shared: 'which base map, and its centre' } },
  'GET /api/map/tiles.pmtiles': { expect: { shared: 'the base map file' } },
  'GET /api/commands/batches/:id': {
    path: (w) => `/api/commands/batches/${w.batchB}`,
    expect: { status: 403 },
  },
  'GET /api/fleet/summary': { path: () => '/api/fleet/summary', expect: { filtered: true } },
  'GET /api/alerts': { path: () => '/api/alerts?state=all', expect: { filtered: true } },
  'GET /api/incidents': { path: () => '/api/incidents', expect: { filtered: true } },
  'GET /api/stream': {
    expect: { elsewhere: 'stream-access.test.ts, announcements-scope.test.ts' },
  },

  'GET /api/audio': { expect: { shared: 'the audio library is shared by every scheduler' } },
  'GET /api/audio/:id': { expect: { shared: 'the audio library is shared by every scheduler' } },
  'GET /api/audio/files/:sha256': { expect: { shared: 'the audio library is shared' } },
  'GET /api/audio/:id/usage': {
    path: (w) => `/api/audio/${w.audio}/usage`,
    expect: { filtered: true, has: () => '宋家寨村' },
  },
  'GET /api/days/:date': {
    path: (w) => `/api/days/${w.today}?zone=${w.townB}`,
    expect: { status: 403 },
  },
  'GET /api/days/:date/versions': {
    path: (w) => `/api/days/${w.today}/versions?zone=${w.townB}`,
    expect: { status: 403 },
  },
  'GET /api/days/:date/effective': {
    path: (w) => `/api/days/${w.today}/effective?node=${w.b}`,
    expect: { status: 403 },
  },
  'GET /api/columns': { expect: { shared: "columns are the district's" } },
  'GET /api/columns/:id': { expect: { shared: "columns are the district's" } },
  'GET /api/templates': { expect: { shared: "templates are the district's, inherited by all" } },
  'GET /api/templates/:dayType': { expect: { shared: "templates are the district's" } },
  'GET /api/calendar': {
    path: (w) => `/api/calendar?month=${w.today.slice(0, 7)}&zone=${w.townB}`,
    expect: { status: 403 },
  },
  'GET /api/calendar/:date': {
    path: (w) => `/api/calendar/${w.today}?zone=${w.townB}`,
    expect: { status: 403 },
  },
  'GET /api/holidays': { expect: { shared: 'the official holidays' } },
  'GET /api/announcements': {
    path: () => '/api/announcements',
    expect: { filtered: true, has: () => '宋家寨村通知' },
  },
  'GET /api/announcements/:id': {
    path: (w) => `/api/announcements/${w.announcementB}`,
    expect: { status: 403 },
  },
  'GET /api/live': {
    path: () => '/api/live?limit=1',
    expect: { filtered: true, has: (w) => w.liveA },
  },
  'GET /api/live/:id': { path: (w) => `/api/live/${w.liveB}`, expect: { status: 403 } },
  'GET /api/live/:id/recording': {
    path: (w) => `/api/live/${w.liveB}/recording`,
    expect: { status: 403 },
  },
  'GET /api/live/talk': { expect: { elsewhere: 'live-talk-access.test.ts (start message)' } },
  'GET /api/plays': {
    path: (w) => `/api/plays?date=${w.today}&node=${w.b}&limit=10`,
    expect: { filtered: true },
  },
  'GET /api/plans/status': { path: () => '/api/plans/status', expect: { filtered: true } },
  'GET /api/readiness': {
    path: (w) => `/api/readiness?date=${w.today}`,
    expect: { filtered: true },
  },
  'GET /api/reports/day': {
    path: (w) => `/api/reports/day?date=${w.today}`,
    expect: { filtered: true },
  },
  'GET /api/reports/summary': {
    path: (w) => `/api/reports/summary?from=${w.today}&to=${w.today}`,
    expect: { filtered: true },
  },
  'GET /api/reports/deviation': {
    path: (w) => `/api/reports/deviation?date=${w.today}`,
    expect: { filtered: true },
  },
}

const live = (id: string, zones: string[], openedAt: string): LiveRecord => ({
  id,
  kind: 'relay',
  zones,
  createdBy: 'admin',
  source: 'http://127.0.0.1:9/stream',
  openedAt,
  playAt: openedAt,
  endedAt: openedAt,
  endReason: 'ended',
  durationMs: 1000,
  nodeCount: 1,
  sounding: [],
  recordingPath: '/nonexistent.ogg',
  recordingBytes: 0,
})

/** Town B's things (a running order, a calendar day, an announcement, a batch, live sessions). */
async function setUp(ctl: TestController) {
  const towns = await twoTowns(ctl)
  const { townA, villageA, townB } = towns
  const today = (await ctl.api<{ date: string }>('GET', '/api/reports/deviation')).body.date
  const audio = (await uploadTone(ctl, '通知', 1)).id
  const ok = (r: { status: number }, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status}`)
  }
  for (const [zone, title] of [
    [townB, '大堡子镇广播'],
    [villageA, '宋家寨村广播'],
  ] as const) {
    const order = { items: [{ start: '23:58:00', audioId: audio, title }] }
    ok(await ctl.api('PUT', `/api/days/${today}?zone=${zone}`, order), 'order')
  }
  ok(await ctl.api('PUT', `/api/calendar/${today}?zone=${townB}`, { type: 'rest' }), 'calendar')
  const announce = (title: string, zones: string[]) =>
    ctl.api<{ id: string }>('POST', '/api/announcements', {
      audioId: audio,
      priority: 'urgent',
      title,
      zones,
    })
  const announcementB = (await announce('大堡子镇停水', [townB])).body.id
  ok(await announce('宋家寨村通知', [villageA]), 'announcement')
  const batch = await ctl.api<{ batchId: string }>('POST', `/api/zones/${townB}/commands`, {
    kind: 'ping',
  })
  ok(batch, 'batch')
  // Stored live sessions: one of town A, then three newer ones of town B (a page of one that
  // is cut before filtering is empty for town A's user).
  const repo = ctl.controller.deps!.repos.live
  repo.insert(live('0000000000a1', [townA], `${today}T00:00:01.000Z`))
  for (const n of [1, 2, 3])
    repo.insert(live(`00000000000${n}`, [townB], `${today}T00:0${n}:02.000Z`))
  await ctl.plansPublished()
  return {
    ...towns,
    a: towns.a.id,
    b: towns.b.id,
    today,
    audio,
    announcementB,
    batchB: batch.body.batchId,
    liveA: '0000000000a1',
    liveB: '000000000001',
  }
}

describe('分级管理: every GET route, asked by town A for town B', () => {
  it('refuses or filters town B out of every answer', async () => {
    const ctl = await startController()
    const w = await setUp(ctl)
    const asTownA = await tokenHeaders(ctl, ['scheduler', 'technician', 'installer'], [w.townA])
    const routes = Object.keys(ACCESS_POLICY).filter((k) => k.startsWith('GET '))
    expect(
      routes.filter((r) => !(r in SWEEP)),
      'GET routes without a row in SWEEP',
    ).toEqual([])

    const wrong: string[] = []
    for (const [route, row] of Object.entries(SWEEP)) {
      if (!row.path) continue
      const path = row.path(w)
      const res = await fetch(`${ctl.url}${path}`, { headers: asTownA })
      const text = await res.text()
      const e = row.expect
      const leaks = [w.townB, w.b, ...B_WORDS].filter((word) => text.includes(word))
      if ('status' in e || 'role' in e) {
        const want = 'status' in e ? e.status : 403
        if (res.status !== want) wrong.push(`${route} ${path}: ${res.status}, want ${want}`)
      } else if ('filtered' in e) {
        if (res.status !== 200) wrong.push(`${route} ${path}: ${res.status} ${text.slice(0, 200)}`)
        else if (leaks.length) wrong.push(`${route} ${path}: shows ${leaks.join(', ')}`)
        else if (e.has && !text.includes(e.has(w)))
          wrong.push(`${route} ${path}: lacks ${e.has(w)}`)
      }
    }
    expect(wrong).toEqual([])

    // A refused delete of a recording tells town A of town B's uses only as a count.
    const del = await fetch(`${ctl.url}/api/audio/${w.audio}`, {
      method: 'DELETE',
      headers: asTownA,
    })
    const refusal = await del.text()
    expect([del.status, [w.townB, ...B_WORDS].filter((x) => refusal.includes(x))]).toEqual([
      409,
      [],
    ])
    expect(JSON.parse(refusal)).toMatchObject({ details: { elsewhere: 2 } })
  })
})
