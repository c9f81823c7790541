import { describe, expect, it } from 'vitest'
import { ago, dateIn, itemClock } from '../../controller/web/src/format.js'
import { createI18n } from '../../controller/web/src/i18n.js'
import type { NodeView, Play, Zone } from '../../controller/web/src/types.js'
import {
  countNodes,
  filterFromParams,
  matcher,
  planStatus,
  sortByName,
  zoneSubtree,
  zoneTree,
} from '../../controller/web/src/views/node-filter.js'
import { createPlayLog, playDate, summarise } from '../../controller/web/src/views/plays-data.js'
import { clockText, degradedText } from '../../controller/web/src/views/state-text.js'

// The UI's pure logic, run in Node (the browser tests cover the DOM around it).

const zones: Zone[] = [
  { id: 'd', name: '城北区', parentId: null, code: '630105' },
  { id: 't', name: '二十里铺镇', parentId: 'd', code: null },
  { id: 'v', name: '严小村', parentId: 't', code: null },
  { id: 'c', name: '西海路社区', parentId: 'd', code: null },
]

function node(over: Partial<NodeView>): NodeView {
  return {
    id: 'node-1',
    name: 'n',
    zone: 'v',
    zoneName: '严小村',
    lat: null,
    lon: null,
    isTest: false,
    online: false,
    stateSince: null,
    lastSeen: null,
    agentVersion: null,
    planVersion: 'p2',
    reportedPlanVersion: null,
    appliedPlanVersion: 'p2',
    createdAt: '2026-11-27T00:00:00Z',
    retiredAt: null,
    state: over.online ? 'online' : 'offline',
    playing: false,
    degradedReasons: [],
    offlineSince: null,
    incidentId: null,
    ...over,
  }
}

describe('web UI: nodes logic', () => {
  it('filters by a zone and everything below it', () => {
    expect([...zoneSubtree(zones, 't')].sort()).toEqual(['t', 'v'])
    expect(zoneSubtree(zones, 'd').size).toBe(4)
    expect(zoneTree(zones).map((z) => `${z.depth}${z.zone.name}`)).toEqual([
      '0城北区',
      '1二十里铺镇',
      '2严小村',
      '1西海路社区',
    ])
    const inTown = matcher(filterFromParams(new URLSearchParams('zone=t')), zones)
    expect(inTown(node({ zone: 'v' }))).toBe(true)
    expect(inTown(node({ zone: 'c' }))).toBe(false)
  })

  it('filters by state, plan and name; retired nodes only when asked', () => {
    const f = (q: string) => matcher(filterFromParams(new URLSearchParams(q)), zones)
    const on = node({ online: true, name: '西海路 1号' })
    const pending = node({ appliedPlanVersion: 'p1' })
    const retired = node({ retiredAt: '2026-11-27T01:00:00Z' })
    expect(f('state=online')(on)).toBe(true)
    expect(f('state=offline')(on)).toBe(false)
    expect(f('state=pending')(pending)).toBe(true)
    expect(f('')(retired)).toBe(false)
    expect(f('state=retired')(retired)).toBe(true)
    expect(f('q=西海路')(on)).toBe(true)
    expect(f('q=NODE-1')(on)).toBe(true)
    expect(f('q=严')(on)).toBe(false)
    expect(filterFromParams(new URLSearchParams('state=bogus&sort=bogus'))).toMatchObject({
      state: 'all',
      sort: 'name',
    })
  })

  it('tells the plan status and counts', () => {
    expect(planStatus(node({}))).toBe('current')
    expect(planStatus(node({ appliedPlanVersion: null }))).toBe('pending')
    expect(planStatus(node({ planVersion: null }))).toBe('none')
    const list = [
      node({ online: true }),
      node({ appliedPlanVersion: 'p1' }),
      node({ retiredAt: 'x', online: true }),
    ]
    expect(countNodes(list)).toEqual({
      total: 2,
      online: 1,
      degraded: 0,
      flapping: 0,
      offline: 1,
      playing: 0,
      pending: 1,
    })
  })

  it('sorts names in pinyin order with numbers as numbers', () => {
    const names = ['西海路 10号', '西海路 2号', '严小村 1号', '二十里铺 1号']
    const map = new Map(names.map((name, i) => [`n${i}`, node({ id: `n${i}`, name })]))
    expect(sortByName(map).map((id) => map.get(id)?.name)).toEqual([
      '二十里铺 1号',
      '西海路 2号',
      '西海路 10号',
      '严小村 1号',
    ])
  })
})

describe('web UI: formatting', () => {
  it('says how long ago, in both languages', () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: store.set.bind(store) }
    const i18n = createI18n(storage)
    const now = Date.parse('2026-11-27T08:00:00Z')
    const secondsAgo = (sec: number) => new Date(now - sec * 1000).toISOString()
    expect(ago(null, now, i18n)).toBe('从未')
    expect(ago(secondsAgo(3), now, i18n)).toBe('刚刚')
    expect(ago(secondsAgo(45), now, i18n)).toBe('45 秒前')
    expect(ago(secondsAgo(180), now, i18n)).toBe('3 分钟前')
    expect(ago(secondsAgo(7200), now, i18n)).toBe('2 小时前')
    i18n.setLang('en')
    expect(ago(secondsAgo(180), now, i18n)).toBe('3 min ago')
    expect(createI18n(storage).lang()).toBe('en')
  })

  it('shows a node clock offset with its uncertainty, and an uncertain clock as degraded', () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: store.set.bind(store) }
    const i18n = createI18n(storage)
    const timing = { medianDeviationMs: null, samples: [], clockOffsetMs: -2113 }
    expect(clockText(i18n, null)).toBe('')
    expect(clockText(i18n, timing)).toBe('时钟偏差 −2.1 秒')
    expect(clockText(i18n, { ...timing, clockUncertaintyMs: 3.4 })).toBe(
      '时钟偏差 −2.1 秒（±3 毫秒）',
    )
    const uncertain = { code: 'clock', message: '', params: { uncertaintyMs: 240 } }
    expect(degradedText(i18n, uncertain)).toBe('时钟不确定 ±240 毫秒')
    i18n.setLang('en')
    expect(clockText(i18n, { ...timing, clockOffsetMs: 12, clockUncertaintyMs: 1 })).toBe(
      'clock offset +12 ms (±1 ms)',
    )
  })

  it('takes dates in Asia/Shanghai and times from item ids', () => {
    expect(dateIn('Asia/Shanghai', Date.parse('2026-11-27T16:30:00Z'))).toBe('2026-11-28')
    expect(itemClock('2026-11-27/t080000')).toBe('08:00')
    expect(itemClock('2026-11-27/t183000-2')).toBe('18:30')
    expect(itemClock('2026-11-27/custom')).toBeNull()
  })
})

describe('web UI: plays logic', () => {
  const play = (eventId: string, type: string, at: string, over: Partial<Play> = {}): Play => ({
    nodeId: 'node-1',
    eventId,
    itemId: '2026-11-27/t080000',
    type,
    at,
    reason: null,
    ...over,
  })

  it('keeps events newest first and drops repeats', () => {
    const log = createPlayLog()
    log.reset([play('a', 'play.started', '2026-11-27T00:00:00Z')])
    expect(log.add([play('a', 'play.started', '2026-11-27T00:00:00Z')])).toBe(0)
    expect(log.add([play('b', 'play.finished', '2026-11-27T00:01:00Z')])).toBe(1)
    expect(log.all.map((p) => p.eventId)).toEqual(['b', 'a'])
    expect(playDate(play('c', 'play.failed', 'x', { date: '2026-11-28' }))).toBe('2026-11-28')
    expect(playDate(play('c', 'play.failed', 'x'))).toBe('2026-11-27')
  })

  it('counts per item, with scheduled items nothing was reported for', () => {
    const plays = [
      play('a', 'play.started', '2026-11-27T00:00:00Z'),
      play('b', 'play.finished', '2026-11-27T00:01:00Z'),
      play('c', 'play.failed', '2026-11-27T00:01:00Z', { reason: 'download' }),
      play('d', 'play.failed', '2026-11-27T00:01:00Z', { reason: 'download' }),
    ]
    const items = [
      { id: 't080000', start: '08:00', title: '新闻', audioId: 'a1' },
      { id: 't120000', start: '12:00:00', title: '天气', audioId: 'a2' },
    ]
    const rows = summarise(plays, '2026-11-27', items)
    expect(rows.map((r) => [r.clock, r.title, r.started, r.finished, r.failed])).toEqual([
      ['08:00', '新闻', 1, 1, 2],
      ['12:00', '天气', 0, 0, 0],
    ])
    expect([...(rows[0]?.reasons ?? [])]).toEqual([['download', 2]])
  })
})
