import { describe, expect, it } from 'vitest'
import type { ZoneNode } from '../composables/useZones'
import {
  type Announcement,
  type AnnouncementNode,
  deliveryOf,
  idsOf,
  isOpen,
  localInstant,
  mayCancel,
  normaliseTime,
  pendingOf,
  playText,
  scopeTree,
  todayIn,
  wallTime,
} from './announce'

// The announcements page's rules: which zones a user may target and withdraw from, what each
// node's delivery says, and the instant of a time typed in the district's time zone.

const z = (value: string, children: ZoneNode[] = []): ZoneNode => ({
  value,
  label: value,
  children,
})
// 城北区 → 二十里铺镇 → 严小村; 城北区 → 西海路社区.
const TREE = [z('district', [z('town', [z('village')]), z('community')])]

const node = (over: Partial<AnnouncementNode>): AnnouncementNode => ({
  nodeId: 'n',
  name: 'n',
  zoneId: 'community',
  online: true,
  isTest: false,
  sentAt: null,
  acknowledgedAt: null,
  delivery: 'pending',
  play: null,
  ...over,
})
const play = (status: string, reason: string | null = null) => ({
  status,
  reason,
  playedMs: 0,
  rmsDb: null,
  startedAt: null,
  interrupted: false,
  drill: false,
})

describe('announcements page rules', () => {
  it('offers a user limited to zones only their zones and what lies below, the district all', () => {
    expect(scopeTree(TREE, [])).toEqual(TREE)
    const mine = scopeTree(TREE, ['town'])
    expect(mine.map((n) => n.value)).toEqual(['town'])
    expect([...idsOf(mine)]).toEqual(['town', 'village'])
    // A zone below another of the user's appears once; an unknown id offers nothing.
    expect([...idsOf(scopeTree(TREE, ['town', 'village', 'gone']))]).toEqual(['town', 'village'])
  })

  it('lets a user limited to zones withdraw only announcements wholly inside them', () => {
    const scope = idsOf(scopeTree(TREE, ['town']))
    expect(mayCancel({ zones: ['village'] }, ['town'], scope)).toBe(true)
    expect(mayCancel({ zones: ['village', 'community'] }, ['town'], scope)).toBe(false)
    expect(mayCancel({ zones: [] }, ['town'], scope)).toBe(false) // the whole district
    expect(mayCancel({ zones: [] }, [], new Set())).toBe(true)
    const a = { status: 'delivered', latestStartAt: '2026-12-06T10:00:00Z' } as const
    expect(isOpen(a, Date.parse('2026-12-06T10:00:30Z'))).toBe(true)
    expect(isOpen(a, Date.parse('2026-12-06T10:01:30Z'))).toBe(false)
    expect(isOpen({ ...a, status: 'cancelled' }, Date.parse('2026-12-06T09:00:00Z'))).toBe(false)
  })

  it('says each node delivery and play, and names the pending ones online first', () => {
    expect(deliveryOf(node({ delivery: 'acknowledged' }))).toBe('acknowledged')
    expect(deliveryOf(node({ delivery: 'acknowledged', play: play('failed', 'download') }))).toBe(
      'failed',
    )
    expect(deliveryOf(node({ delivery: 'acknowledged', play: play('silent') }))).toBe('failed')
    expect(playText(node({}), 'zh')).toBeNull()
    expect(playText(node({ play: play('played') }), 'zh')).toBe('已播')
    expect(playText(node({ play: play('failed', 'download') }), 'zh')).toBe('失败 · 下载失败')
    expect(playText(node({ play: play('failed', 'download') }), 'en')).toBe(
      'Failed · download failed',
    )
    const a = {
      nodes: [
        node({ name: '西海路 2号', online: false }),
        node({ name: '西海路 1号', delivery: 'acknowledged' }),
        node({ name: '西海路 3号' }),
      ],
    } as Pick<Announcement, 'nodes'>
    expect(pendingOf(a, '（离线）')).toEqual({
      count: 2,
      names: ['西海路 3号', '西海路 2号（离线）'],
      more: false,
    })
    const many = { nodes: Array.from({ length: 31 }, (_, i) => node({ name: `n${i}` })) }
    expect(pendingOf(many, '').more).toBe(true)
    expect(pendingOf(many, '').names).toHaveLength(30)
  })

  it('reads a typed time of day, and places it in the district time zone', () => {
    expect(normaliseTime('7:30')).toBe('07:30:00')
    expect(normaliseTime('0730')).toBe('07:30:00')
    expect(normaliseTime('19:30:15')).toBe('19:30:15')
    expect(normaliseTime('24:00')).toBeNull()
    expect(normaliseTime('7')).toBeNull()
    expect(normaliseTime('')).toBeNull()
    expect(localInstant('2026-12-06', '14:30', 'Asia/Shanghai')).toBe('2026-12-06T06:30:00.000Z')
    expect(localInstant('2026-12-07', '0:15', 'Asia/Shanghai')).toBe('2026-12-06T16:15:00.000Z')
    // Where the offset changes with the season, the offset of that day counts.
    expect(localInstant('2026-07-01', '12:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z')
    expect(localInstant('2026-01-01', '12:00', 'Europe/Berlin')).toBe('2026-01-01T11:00:00.000Z')
    expect(localInstant('2026-13-01', '12:00', 'Asia/Shanghai')).toBeNull()
    expect(localInstant('2026-12-06', 'noon', 'Asia/Shanghai')).toBeNull()
    expect(todayIn('Asia/Shanghai', Date.parse('2026-12-06T17:00:00Z'))).toBe('2026-12-07')
    expect(wallTime('2026-12-06T06:30:00.000Z', 'Asia/Shanghai')).toBe('2026-12-06 14:30')
  })
})
