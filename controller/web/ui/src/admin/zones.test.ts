import { describe, expect, it } from 'vitest'
import {
  type Division,
  districtOptions,
  subtreeIds,
  townsOf,
  zoneInUseText,
  zoneRows,
} from './zones'

const CATALOGUE: Division[] = [
  { code: '630000', name: '青海省', parentCode: null },
  { code: '630100', name: '西宁市', parentCode: '630000' },
  { code: '630105', name: '城北区', parentCode: '630100' },
  { code: '630105100', name: '大堡子镇', parentCode: '630105' },
  { code: '630105101', name: '二十里铺镇', parentCode: '630105' },
]

describe('zones page logic', () => {
  it('offers province → city → district, and the towns of the chosen district', () => {
    expect(districtOptions(CATALOGUE)).toEqual([
      {
        value: '630000',
        label: '青海省',
        children: [
          { value: '630100', label: '西宁市', children: [{ value: '630105', label: '城北区' }] },
        ],
      },
    ])
    expect(townsOf(CATALOGUE, '630105').map((d) => d.name)).toEqual(['大堡子镇', '二十里铺镇'])
  })

  it('nests the list and finds a zone with everything below it', () => {
    const zones = [
      { id: 'a', name: '城北区', parentId: null, code: '630105' },
      { id: 'b', name: '大堡子镇', parentId: 'a', code: null },
      { id: 'c', name: '陶家村', parentId: 'b', code: null },
      { id: 'd', name: '二十里铺镇', parentId: 'a', code: null },
    ]
    const [root] = zoneRows(zones)
    expect(root?.children.map((r) => r.name)).toEqual(['大堡子镇', '二十里铺镇'])
    expect(root?.children[0]?.children[0]?.name).toBe('陶家村')
    expect([...subtreeIds(zones, 'b')].sort()).toEqual(['b', 'c'])
  })
})

describe('the refusal to delete a zone in use', () => {
  const t = (key: string, vars: Record<string, unknown> = {}) =>
    `${key}(${Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')})`
  it('lists what still uses the zone from the details, in the messages, zero counts left out', () => {
    const details = {
      zoneId: 'z1',
      zoneName: '大堡子镇',
      children: 2,
      nodes: 1,
      retiredNodes: 0,
      users: 0,
      tokens: 0,
      announcements: 3,
      runningOrders: 4,
      calendarOverrides: 0,
    }
    expect(zoneInUseText(details, t)).toBe(
      'zones.inUse(zone=大堡子镇,uses=zones.use.children(n=2)zones.useSeparator()' +
        'zones.use.nodes(n=1)zones.useSeparator()zones.use.announcements(n=3)' +
        'zones.useSeparator()zones.use.runningOrders(n=4))',
    )
  })
  it('gives null for other details (the server message is shown instead)', () => {
    expect(zoneInUseText(null, t)).toBeNull()
    expect(zoneInUseText({ children: 1 }, t)).toBeNull()
  })
})
