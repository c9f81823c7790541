import { describe, expect, it } from 'vitest'
import { messagesOf } from '../i18n'
import {
  allPagesPaths,
  applyLive,
  compareAlerts,
  countBySeverity,
  countStatuses,
  fillDays,
  filterFromQuery,
  filterToQuery,
  mergeAlerts,
  mergeCommands,
  nodesPath,
  planStatus,
} from './fleet'
import {
  agoText,
  alertText,
  commandResult,
  degradedText,
  localTimeFormat,
  stateDetail,
  type T,
} from './fleet-text'
import { nodeFixture } from './node-fixture'
import type { Alert, Command } from './types'

// The fleet pages' pure rules, with the real messages in both languages.

const tOf = (lang: 'zh-CN' | 'en'): T => {
  const m = messagesOf(lang)
  return (key, params = {}) =>
    (m[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`))
}
const zh = tOf('zh-CN')
const en = tOf('en')

const node = nodeFixture

describe('fleet: the node list filter', () => {
  it('reads the address, falling back to defaults on anything unknown', () => {
    expect(filterFromQuery({})).toEqual({
      zone: '',
      state: 'all',
      q: '',
      sort: 'name',
      desc: false,
      page: 1,
      size: 100,
    })
    const f = filterFromQuery({
      zone: 'z1',
      state: 'offline',
      q: '西海',
      sort: 'lastSeen',
      order: 'desc',
      page: '3',
      size: '50',
    })
    expect(f).toEqual({
      zone: 'z1',
      state: 'offline',
      q: '西海',
      sort: 'lastSeen',
      desc: true,
      page: 3,
      size: 50,
    })
    expect(filterFromQuery({ state: 'nonsense', sort: 'x', page: '-2', size: '7' })).toMatchObject({
      state: 'all',
      sort: 'name',
      page: 1,
      size: 100,
    })
    expect(filterToQuery(f)).toEqual({
      zone: 'z1',
      state: 'offline',
      q: '西海',
      sort: 'lastSeen',
      order: 'desc',
      page: '3',
      size: '50',
    })
    expect(filterToQuery(filterFromQuery({}))).toEqual({})
  })

  it('asks the server for one page only, and pages through every match for a bulk action', () => {
    const f = filterFromQuery({ zone: 'z1', state: 'offline', q: ' 西海 ', page: '3', size: '50' })
    const url = new URL(nodesPath(f), 'http://x/')
    expect(url.pathname).toBe('/api/nodes')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      zone: 'z1',
      state: 'offline',
      q: '西海',
      sort: 'name',
      order: 'asc',
      limit: '50',
      offset: '100',
    })
    const pages = allPagesPaths(f, 1201)
    expect(pages).toHaveLength(3)
    expect(new URL(pages[2] as string, 'http://x/').searchParams.get('offset')).toBe('1000')
    expect(new URL(pages[0] as string, 'http://x/').searchParams.get('limit')).toBe('500')
    expect(allPagesPaths(f, 0)).toEqual([])
  })
})

describe('fleet: live updates of a page', () => {
  const a = node({ id: 'a', name: 'A' })
  const b = node({ id: 'b', name: 'B' })
  it('replaces changed rows where they stand, without a reload', () => {
    const r = applyLive([a, b], [{ ...b, lastSeen: '2026-12-06T10:00:00Z' }], {
      state: 'all',
      sort: 'name',
    })
    expect(r.stale).toBe(false)
    expect(r.rows.map((n) => n.id)).toEqual(['a', 'b'])
    expect(r.rows[1]?.lastSeen).toBe('2026-12-06T10:00:00Z')
  })
  it('asks for a reload when a node leaves or may enter the filtered page', () => {
    expect(
      applyLive([a], [{ ...a, state: 'offline', online: false }], { state: 'online', sort: 'name' })
        .stale,
    ).toBe(true)
    expect(
      applyLive([a], [node({ id: 'c', state: 'offline' })], { state: 'offline', sort: 'name' })
        .stale,
    ).toBe(true)
    expect(applyLive([a], [node({ id: 'c' })], { state: 'all', sort: 'name' }).stale).toBe(false)
    expect(applyLive([a, b], [{ ...a, name: 'Z' }], { state: 'all', sort: 'name' }).stale).toBe(
      true,
    )
  })
})

describe('fleet: states in words', () => {
  it('says why a node is degraded, by code, in both languages', () => {
    const late = { code: 'late', message: 'segments start 1.8 s late', params: { medianMs: 1800 } }
    expect(degradedText(zh, late)).toBe('节目开始晚 1.8 秒')
    expect(degradedText(en, late)).toBe('segments start 1.8 s late')
    expect(
      degradedText(zh, { code: 'plays', message: '', params: { count: 3, reason: 'download' } }),
    ).toBe('连续 3 次播放失败（最近：下载失败）')
    expect(degradedText(zh, { code: 'new', message: 'something new', params: {} })).toBe(
      'something new',
    )
  })
  it('says how long a node has been offline', () => {
    const n = node({ online: false, state: 'offline', offlineSince: '2026-12-06T08:00:00Z' })
    expect(stateDetail(zh, n, Date.parse('2026-12-06T11:05:00Z'))).toBe('已离线 3 小时 5 分钟')
    expect(stateDetail(en, n, Date.parse('2026-12-08T09:00:00Z'))).toMatch(/^offline for 2/)
    expect(stateDetail(zh, { ...n, retiredAt: '2026-12-06T09:00:00Z' }, Date.now())).toBe('')
    expect(agoText(zh, null, 0)).toBe('从未')
  })
  it('tells plan delivery', () => {
    expect(planStatus({ planVersion: null, appliedPlanVersion: null })).toBe('none')
    expect(planStatus({ planVersion: 'v2', appliedPlanVersion: 'v1' })).toBe('pending')
    expect(planStatus({ planVersion: 'v2', appliedPlanVersion: 'v2' })).toBe('current')
  })
})

const cmd = (over: Partial<Command>): Command => ({
  id: 'c1',
  batchId: null,
  nodeId: 'a',
  kind: 'ping',
  params: null,
  issuedAt: '2026-12-06T10:00:00.000Z',
  expiresAt: '2026-12-06T10:05:00.000Z',
  status: 'pending',
  ackedAt: null,
  error: null,
  result: null,
  ...over,
})

describe('fleet: commands', () => {
  it('says what came back', () => {
    expect(commandResult(zh, cmd({ status: 'ok', ackedAt: '2026-12-06T10:00:00.042Z' }))).toBe(
      '往返 42 毫秒',
    )
    expect(
      commandResult(zh, cmd({ kind: 'setVolume', status: 'ok', params: { volume: 40 } })),
    ).toBe('音量已设为 40')
    expect(commandResult(zh, cmd({ kind: 'testTone', status: 'ok', result: { seconds: 3 } }))).toBe(
      '已播放 3 秒测试音',
    )
    expect(commandResult(zh, cmd({ status: 'expired' }))).toBe('节点在有效期内没有应答')
    expect(commandResult(zh, cmd({ status: 'error', error: 'busy' }))).toBe('busy')
  })
  it('merges live updates by id, newest first, and counts a batch', () => {
    const list = mergeCommands(
      [cmd({ id: 'x' })],
      [cmd({ id: 'y', issuedAt: '2026-12-06T11:00:00Z' }), cmd({ id: 'x', status: 'ok' })],
    )
    expect(list.map((c) => [c.id, c.status])).toEqual([
      ['y', 'pending'],
      ['x', 'ok'],
    ])
    expect(countStatuses(list)).toEqual({ total: 2, pending: 1, ok: 1, error: 0, expired: 0 })
  })
})

const alert = (over: Partial<Alert>): Alert => ({
  id: 'al',
  kind: 'nodeOffline',
  subject: 'a',
  severity: 'warning',
  nodeId: 'a',
  zoneId: null,
  incidentId: null,
  message: 'node a offline',
  params: {},
  openedAt: '2026-12-06T10:00:00Z',
  ackedAt: null,
  resolvedAt: null,
  resolution: null,
  ...over,
})

describe('fleet: alerts', () => {
  const names = {
    node: () => '西海路 1号',
    zone: () => '二十里铺镇',
    time: (iso: string) => iso.slice(11, 16),
  }
  it('words an alert from its kind and params, the server English as a fallback', () => {
    expect(alertText(zh, alert({}), names)).toBe('「西海路 1号」离线')
    expect(alertText(zh, alert({ params: { since: '2026-12-06T09:30:00Z' } }), names)).toBe(
      '「西海路 1号」自 09:30 起离线',
    )
    expect(
      alertText(
        zh,
        alert({ kind: 'zoneOffline', nodeId: null, zoneId: 'z', params: { offline: 3, total: 5 } }),
        names,
      ),
    ).toBe('「二十里铺镇」5 个节点中有 3 个离线')
    expect(
      alertText(
        zh,
        alert({ kind: 'incident', params: { nodes: 12, cause: 'broker-restart' }, nodeId: null }),
        names,
      ),
    ).toBe('12 个节点同时掉线（消息服务重启）')
    expect(alertText(zh, alert({ kind: 'somethingNew' }), names)).toBe('node a offline')
  })
  it('sorts open before resolved, then most severe, then newest; merges live updates', () => {
    const list = [
      alert({ id: 'r', resolvedAt: '2026-12-06T11:00:00Z', severity: 'critical' }),
      alert({ id: 'w-old', openedAt: '2026-12-06T09:00:00Z' }),
      alert({ id: 'c', severity: 'critical' }),
      alert({ id: 'w-new', openedAt: '2026-12-06T10:30:00Z' }),
    ]
    expect([...list].sort(compareAlerts).map((a) => a.id)).toEqual(['c', 'w-new', 'w-old', 'r'])
    const merged = mergeAlerts(
      list,
      [alert({ id: 'c', severity: 'critical', resolvedAt: '2026-12-06T12:00:00Z' })],
      true,
    )
    expect(merged.map((a) => a.id)).toEqual(['w-new', 'w-old'])
    expect(countBySeverity(list)).toEqual({ critical: 1, warning: 2, info: 0 })
  })
})

describe('fleet: the days of a node', () => {
  it('shows the last 7 days ending with the newest, empty before the node existed', () => {
    const days = fillDays(
      [
        { date: '2026-12-06', onlinePct: 97.25 },
        { date: '2026-12-05', onlinePct: 100 },
      ],
      7,
    )
    expect(days.map((d) => d.date)).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ])
    expect(days.map((d) => d.pct)).toEqual([null, null, null, null, null, 100, 97.3])
    expect(fillDays([], 7)).toEqual([])
  })
})

describe('fleet: times in words', () => {
  it('formats an instant as toLocaleString does, with one formatter made once', () => {
    for (const locale of ['zh-CN', 'en']) {
      const time = localTimeFormat(locale)
      for (const iso of ['2026-12-07T01:02:03.000Z', '2026-01-31T23:59:59.000Z']) {
        expect(time(iso)).toBe(new Date(iso).toLocaleString(locale, { hour12: false }))
      }
    }
  })
})
