import { describe, expect, it } from 'vitest'
import { dayTotals, nodeReports, type ReportNode, type ScheduledItem } from './report-day.js'

const T0 = Date.parse('2026-11-27T00:00:00Z')
const item = (id: string, over: Partial<ScheduledItem> = {}): ScheduledItem => ({
  itemId: `2026-11-27/${id}`,
  startAt: T0,
  durationMs: 60_000,
  audioId: 'a-1',
  title: id,
  zones: [],
  audience: 'all',
  ...over,
})
const node = (id: string, over: Partial<ReportNode> = {}): ReportNode => ({
  id,
  name: id,
  zoneId: 'village',
  lineage: ['village', 'town'],
  isTest: false,
  online: true,
  accountableFrom: 0,
  accountableUntil: null,
  ...over,
})
const finished = (itemId: string, rmsDb: number) => ({
  itemId: `2026-11-27/${itemId}`,
  type: 'play.finished',
  reason: null,
  at: '2026-11-27T00:01:00Z',
  body: { playedMs: 60_000, rmsDb },
})

function run(over: Partial<Parameters<typeof nodeReports>[0]> = {}) {
  return nodeReports({
    date: '2026-11-27',
    now: T0 + 86_400_000,
    silentDb: -60,
    graceMs: 600_000,
    scheduled: [],
    nodes: [],
    events: new Map(),
    offlineAt: () => false,
    audioTitle: () => 'from the library',
    ...over,
  })
}

describe('nodeReports', () => {
  it("titles a live session's play from its record, as kind live, and counts it like a segment", () => {
    const live = {
      kind: 'voice' as const,
      sessionId: 's1',
      by: '张三',
      openedAt: '2026-11-27T02:32:00Z',
      host: null,
    }
    const events = [
      {
        itemId: 'live:s1',
        type: 'play.started',
        reason: null,
        at: '2026-11-27T02:32:01Z',
        body: { scheduledAt: '2026-11-27T02:32:01Z', deviationMs: 12, audioId: 'live:s1' },
      },
      {
        itemId: 'live:s1',
        type: 'play.finished',
        reason: null,
        at: '2026-11-27T02:33:01Z',
        body: { playedMs: 60_000, rmsDb: -20 },
      },
    ]
    const [r] = run({
      nodes: [node('n1')],
      events: new Map([['n1', events]]),
      liveTitle: (id) => (id === 'live:s1' ? { title: '喊话 · 张三 · 10:32', live } : null),
    })
    expect(r?.items).toEqual([
      expect.objectContaining({
        itemId: 'live:s1',
        title: '喊话 · 张三 · 10:32',
        kind: 'live',
        live,
        status: 'played',
        rmsDb: -20,
      }),
    ])
    expect([r?.scheduled, r?.played]).toEqual([1, 1])
  })

  it('gives a start with no end an outcome once its slot and grace are over, not "playing"', () => {
    const started = {
      itemId: '2026-11-27/cut',
      type: 'play.started',
      reason: null,
      at: '2026-11-27T00:00:00Z',
      body: { deviationMs: 0 },
    }
    const input = {
      scheduled: [item('cut')],
      nodes: [node('n1')],
      events: new Map([['n1', [started]]]),
    }
    // Within the slot + grace: still playing (pending in the totals).
    const during = run({ ...input, now: T0 + 60_000 + 599_999 })
    expect(during[0]?.items[0]).toMatchObject({ status: 'playing', reason: null })
    const after = run({ ...input, now: T0 + 60_000 + 600_000 })
    expect(after[0]?.items[0]).toMatchObject({ status: 'interrupted', reason: 'noEnd' })
    expect(after[0]).toMatchObject({ interrupted: 1, pending: 0, reasons: { noEnd: 1 } })
  })

  it('gives each node the items that reach it: zones, test nodes and drill audiences', () => {
    const reports = run({
      scheduled: [
        item('all'),
        item('far', { zones: ['other-town'] }),
        item('drill', { audience: 'test', drill: true }),
        item('plain', { audience: 'regular' }),
      ],
      nodes: [node('n1'), node('t1', { isTest: true })],
    })
    expect(reports.map((r) => r.items.map((i) => i.title))).toEqual([
      ['all', 'plain'],
      ['all', 'drill'],
    ])
  })

  it('keeps proof of an item played and later edited out of the programme', () => {
    const [r] = run({
      nodes: [node('n1')],
      events: new Map([
        [
          'n1',
          [
            {
              ...finished('gone', -20),
              body: {
                ...finished('gone', -20).body,
                audioId: 'a-9',
                scheduledAt: '2026-11-27T00:00:00Z',
              },
            },
          ],
        ],
      ]),
    })
    expect(r?.items).toEqual([
      expect.objectContaining({
        itemId: '2026-11-27/gone',
        title: 'from the library',
        status: 'played',
      }),
    ])
  })

  it('calls an unreported item missed after its grace, offline or not, and pending before', () => {
    const reports = run({
      now: T0 + 60_000 + 300_000,
      scheduled: [item('early', { startAt: T0 - 3_600_000 }), item('now')],
      nodes: [node('n1')],
      offlineAt: (_, at) => at < T0,
    })
    expect(reports[0]?.items.map((i) => `${i.status} ${i.reason}`)).toEqual([
      'missed offline',
      'pending null',
    ])
  })
})

describe('dayTotals', () => {
  it('counts speakers and items of regular nodes only, rolls zones up, and keeps drills apart', () => {
    const nodes = [
      node('n1'),
      node('n2', { zoneId: 'other', lineage: ['other', 'town'] }),
      node('t1', { isTest: true }),
    ]
    const reports = run({
      scheduled: [item('a', { columnId: 'news' }), item('d', { audience: 'test', drill: true })],
      nodes,
      events: new Map([
        ['n1', [finished('a', -20)]],
        ['n2', [finished('a', -80)]],
        ['t1', [finished('a', -20), finished('d', -20)]],
      ]),
    })
    const t = dayTotals(reports, nodes)
    expect(t.speakers).toBe(2)
    expect(t.totals).toMatchObject({ scheduled: 2, played: 1, silent: 1 })
    expect(t.drill).toMatchObject({ scheduled: 1, played: 1 })
    expect(t.byZone.get('town')).toMatchObject({ nodes: 2, scheduled: 2, played: 1 })
    expect(t.byZone.get('village')).toMatchObject({ nodes: 1, played: 1 })
    expect(t.byColumn.get('news')).toMatchObject({ scheduled: 2 })
  })
})
