import { describe, expect, it } from 'vitest'
import { dayStart } from '../../controller/web/src/format.js'
import { createI18n } from '../../controller/web/src/i18n.js'
import { normalizeNode } from '../../controller/web/src/node-state.js'
import { createStore } from '../../controller/web/src/store.js'
import type { Alert, Command, NodeView } from '../../controller/web/src/types.js'
import { alertText } from '../../controller/web/src/views/alert-text.js'
import { resultText } from '../../controller/web/src/views/command-text.js'
import { fitView, nearest, place } from '../../controller/web/src/views/map-geo.js'
import {
  filterFromParams,
  matcher,
  offlineFirst,
} from '../../controller/web/src/views/node-filter.js'
import { degradedText, transitionReasonText } from '../../controller/web/src/views/state-text.js'
import { niceTicks } from '../../controller/web/src/views/ticks.js'
import { dayBars, lastDays } from '../../controller/web/src/views/timeline-data.js'

// The fleet pages' pure logic, run in Node (the browser tests cover the DOM around it).

function node(over: Partial<NodeView>): NodeView {
  return normalizeNode({
    id: 'node-1',
    name: 'n',
    zone: 'v',
    zoneName: '严小村',
    lat: null,
    lon: null,
    isTest: false,
    online: true,
    stateSince: null,
    lastSeen: null,
    agentVersion: null,
    planVersion: null,
    reportedPlanVersion: null,
    appliedPlanVersion: null,
    createdAt: '2026-11-20T00:00:00Z',
    retiredAt: null,
    ...over,
  } as NodeView)
}

const i18n = (lang: 'zh' | 'en') => {
  const t = createI18n(null)
  t.setLang(lang)
  return t
}

describe('web UI: fleet states', () => {
  it('fills the state of an older controller from `online`', () => {
    expect(node({ online: true }).state).toBe('online')
    const off = node({ online: false, stateSince: '2026-11-27T01:00:00Z' })
    expect(off).toMatchObject({ state: 'offline', offlineSince: '2026-11-27T01:00:00Z' })
    const full = node({ state: 'degraded', playing: true, degradedReasons: [] })
    expect(full.state).toBe('degraded')
  })

  it('filters by degraded, flapping and playing', () => {
    const f = (q: string) => matcher(filterFromParams(new URLSearchParams(q)), [])
    expect(f('state=degraded')(node({ state: 'degraded' }))).toBe(true)
    expect(f('state=degraded')(node({ state: 'online' }))).toBe(false)
    expect(f('state=flapping')(node({ state: 'flapping' }))).toBe(true)
    expect(f('state=playing')(node({ playing: true }))).toBe(true)
    expect(f('state=playing')(node({ playing: false }))).toBe(false)
    expect(f('state=online')(node({ state: 'degraded' }))).toBe(false)
  })

  it('sorts the longest offline first, then the never seen, then the rest in order', () => {
    const list = [
      node({ id: 'a' }),
      node({ id: 'b', online: false, state: 'offline', offlineSince: '2026-11-27T05:00:00Z' }),
      node({ id: 'c', online: false, state: 'offline', offlineSince: null }),
      node({ id: 'd', online: false, state: 'offline', offlineSince: '2026-11-26T05:00:00Z' }),
      node({ id: 'e' }),
    ]
    expect(offlineFirst(list).map((n) => n.id)).toEqual(['d', 'b', 'c', 'a', 'e'])
  })

  it('says why a node is degraded, by code, in both languages', () => {
    const late = { code: 'late', message: 'segments start 1.8 s late', params: { medianMs: 1800 } }
    expect(degradedText(i18n('zh'), late)).toBe('节目开始晚 1.8 秒')
    expect(degradedText(i18n('en'), late)).toBe('segments start 1.8 s late')
    const plays = { code: 'plays', message: 'x', params: { count: 3, reason: 'download' } }
    expect(degradedText(i18n('zh'), plays)).toBe('连续 3 次播放失败（最近：下载失败）')
    // Unknown codes fall back to the server's English.
    expect(degradedText(i18n('zh'), { code: 'new', message: 'something new', params: {} })).toBe(
      'something new',
    )
    expect(transitionReasonText(i18n('zh'), 'keepalive')).toBe('心跳超时')
    expect(transitionReasonText(i18n('zh'), 'mystery')).toBe('mystery')
  })
})

describe('web UI: node history', () => {
  it('cuts each local day into online and offline stretches', () => {
    const tz = 'Asia/Shanghai'
    expect(new Date(dayStart('2026-11-27', tz)).toISOString()).toBe('2026-11-26T16:00:00.000Z')
    const now = Date.parse('2026-11-27T10:00:00Z') // 18:00 in Shanghai
    const dates = lastDays(2, tz, now)
    expect(dates).toEqual(['2026-11-26', '2026-11-27'])
    const bars = dayBars(
      [
        // Offline from 06:00 to 12:00 Shanghai time on the 27th.
        { from: 'online', to: 'offline', at: '2026-11-26T22:00:00Z', reason: 'keepalive' },
        { from: 'offline', to: 'online', at: '2026-11-27T04:00:00Z', reason: 'birth' },
      ],
      { dates, tz, now, current: 'online', createdAt: Date.parse('2026-11-20T00:00:00Z') },
    )
    expect(bars[0]?.segments).toEqual([{ from: 0, to: 1, state: 'online' }])
    expect(bars[0]?.onlinePct).toBe(100)
    expect(bars[1]?.segments.map((s) => s.state)).toEqual(['online', 'offline', 'online', 'future'])
    expect(bars[1]?.segments[1]).toMatchObject({ from: 0.25, to: 0.5 })
    // 18 h have passed, 6 of them offline.
    expect(bars[1]?.onlinePct).toBeCloseTo((12 / 18) * 100)
  })

  it('marks the time before the node existed', () => {
    const tz = 'Asia/Shanghai'
    const now = Date.parse('2026-11-27T10:00:00Z')
    const [bar] = dayBars([], {
      dates: ['2026-11-27'],
      tz,
      now,
      current: 'online',
      createdAt: Date.parse('2026-11-27T04:00:00Z'),
    })
    expect(bar?.segments.map((s) => s.state)).toEqual(['none', 'online', 'future'])
    expect(bar?.onlinePct).toBe(100)
  })
})

describe('web UI: alerts and commands in words', () => {
  it('builds alert text from kind and params, with names from the store', () => {
    const store = createStore()
    store.setSnapshot(
      [node({ id: 'n1', name: '严小村 1号' })],
      [{ id: 'z', name: '严小村', parentId: null, code: null }],
    )
    const alert: Alert = {
      id: 'a',
      kind: 'zoneOffline',
      subject: 'zoneOffline:z',
      severity: 'critical',
      nodeId: null,
      zoneId: 'z',
      incidentId: null,
      message: 'z: 5 of 8 nodes offline',
      params: { offline: 5, total: 8 },
      openedAt: '2026-11-27T00:00:00Z',
      ackedAt: null,
      resolvedAt: null,
      resolution: null,
    }
    expect(alertText(i18n('zh'), store, alert)).toBe('「严小村」8 个节点中有 5 个离线')
    expect(alertText(i18n('en'), store, alert)).toBe('“严小村”: 5 of 8 nodes offline')
    const flap = { ...alert, kind: 'nodeFlapping', nodeId: 'n1', params: {} }
    expect(alertText(i18n('zh'), store, flap)).toBe('「严小村 1号」短时间内反复上下线')
    expect(alertText(i18n('zh'), store, { ...alert, kind: 'future' })).toBe(alert.message)
  })

  it('shows the ping round trip', () => {
    const ping: Command = {
      id: 'c',
      batchId: null,
      nodeId: 'n',
      kind: 'ping',
      params: null,
      issuedAt: '2026-11-27T00:00:00.000Z',
      expiresAt: '2026-11-27T00:01:00.000Z',
      status: 'ok',
      ackedAt: '2026-11-27T00:00:00.040Z',
      error: null,
      result: { rttMs: 23.4 },
    }
    expect(resultText(i18n('zh'), ping)).toBe('往返 23 毫秒')
    expect(resultText(i18n('zh'), { ...ping, result: null })).toBe('往返 40 毫秒')
    expect(resultText(i18n('en'), { ...ping, status: 'expired' })).toBe(
      'the node did not answer in time',
    )
  })
})

describe('web UI: map and charts', () => {
  it('fits the nodes with coordinates and finds the one under the pointer', () => {
    const a = node({ id: 'a', lat: 36.6, lon: 101.7 })
    const b = node({ id: 'b', lat: 36.7, lon: 101.8 })
    const c = node({ id: 'c' })
    const { placed, unplaced } = place([a, b, c], 400, 300, 20)
    expect(unplaced.map((n) => n.id)).toEqual(['c'])
    for (const p of placed) {
      expect(Math.round(p.x)).toBeGreaterThanOrEqual(20)
      expect(Math.round(p.x)).toBeLessThanOrEqual(380)
      expect(Math.round(p.y)).toBeGreaterThanOrEqual(20)
      expect(Math.round(p.y)).toBeLessThanOrEqual(280)
    }
    const pb = placed.find((p) => p.node.id === 'b')!
    const pa = placed.find((p) => p.node.id === 'a')!
    // North is up, east is right.
    expect(pb.y).toBeLessThan(pa.y)
    expect(pb.x).toBeGreaterThan(pa.x)
    expect(nearest(placed, pb.x + 3, pb.y - 3, 10)?.node.id).toBe('b')
    expect(nearest(placed, 0, 0, 10)).toBeNull()
    // One node alone is centred.
    const one = fitView([a], 400, 300, 20)
    expect([one.x(101.7), one.y(36.6)]).toEqual([200, 150])
  })

  it('picks round ticks', () => {
    expect(niceTicks(0, 100)).toEqual([0, 25, 50, 75, 100])
    expect(niceTicks(-3, 7)).toEqual([-2.5, 0, 2.5, 5])
  })
})
