import { describe, expect, it } from 'vitest'
import {
  defaultZone,
  filterFromQuery,
  filterNodes,
  hasPosition,
  mergeNodes,
  type Node,
  nodesGeoJson,
  parseCoord,
  parseLatLon,
  reachable,
  STATE_COLOURS,
  shownState,
  splitPlaced,
  stateCounts,
  toLatLon,
  type Zone,
  zonesFor,
} from './map'
import { baseStyle, pmtilesUrl } from './map-style'
import { nodeFixture } from './node-fixture'

// The map's pure parts: which speakers are drawn and how, typed and clicked coordinates, the
// zones an installer may register into, and the base map's style for each configuration.

const node = (over: Partial<Node> & { id: string }): Node =>
  nodeFixture({
    name: over.id,
    zone: 'z',
    zoneName: 'Z',
    online: false,
    state: 'offline',
    createdAt: '2026-12-01T00:00:00Z',
    ...over,
  })
const zone = (id: string, parentId: string | null): Zone =>
  ({ id, name: id, parentId, code: null, depth: 0 }) as unknown as Zone

describe('the map', () => {
  it('draws placed, unretired speakers coloured by state (playing over online)', () => {
    const nodes = [
      node({ id: 'a', lat: 36.6, lon: 101.7, state: 'online', playing: true }),
      node({ id: 'b', lat: 36.7, lon: 101.8, state: 'degraded' }),
      node({ id: 'c' }),
      node({ id: 'd', lat: 36.6, lon: 101.7, retiredAt: '2026-12-02T00:00:00Z' }),
      node({ id: 'e', lat: 91, lon: 0 }),
    ]
    const geo = nodesGeoJson(nodes)
    expect(geo.features.map((f) => f.properties.id)).toEqual(['a', 'b'])
    expect(geo.features[0]?.geometry.coordinates).toEqual([101.7, 36.6])
    expect(geo.features[0]?.properties).toMatchObject({
      state: 'playing',
      colour: STATE_COLOURS.playing,
    })
    expect(geo.features[1]?.properties.colour).toBe(STATE_COLOURS.degraded)
    expect(shownState({ state: 'offline', playing: true })).toBe('offline')
    const split = splitPlaced(nodes)
    expect(split.placed.map((n) => n.id)).toEqual(['a', 'b'])
    expect(split.unplaced.map((n) => n.id)).toEqual(['c', 'e'])
    expect(stateCounts(nodes)).toEqual({
      online: 0,
      playing: 1,
      degraded: 1,
      flapping: 0,
      offline: 2,
    })
    expect(hasPosition({ lat: 0, lon: 0 })).toBe(true)
    expect(hasPosition({ lat: null, lon: 3 })).toBe(false)
  })

  it('sorts names as people number them, and merges live updates by id', () => {
    const list = [node({ id: 'x', name: '西海路 10号' }), node({ id: 'y', name: '西海路 9号' })]
    expect(splitPlaced(list).unplaced.map((n) => n.id)).toEqual(['y', 'x'])
    const merged = mergeNodes(list, [
      node({ id: 'x', name: '西海路 10号', state: 'online' }),
      node({ id: 'z' }),
    ])
    expect(merged.map((n) => [n.id, n.state])).toEqual([
      ['x', 'online'],
      ['y', 'offline'],
      ['z', 'offline'],
    ])
    expect(mergeNodes(list, [])).toBe(list)
  })

  it('reads typed coordinates, and rounds and wraps clicked ones', () => {
    expect(parseCoord(' 36,6345° ', 90)).toBe(36.6345)
    expect(parseCoord('', 90)).toBeNull()
    expect(parseCoord('91', 90)).toBe('bad')
    expect(parseCoord('abc', 180)).toBe('bad')
    expect(parseLatLon('36.6', '101.7')).toEqual({ lat: 36.6, lon: 101.7 })
    expect(parseLatLon('', '')).toBeNull()
    expect(parseLatLon('36.6', '')).toBe('bad')
    expect(parseLatLon('36.6', '200')).toBe('bad')
    expect(toLatLon(101.76543219, 36.63612345)).toEqual({ lat: 36.636123, lon: 101.765432 })
    expect(toLatLon(361.5, 95)).toEqual({ lat: 90, lon: 1.5 })
    expect(toLatLon(-190, 0).lon).toBe(170)
  })

  it('offers an installer their zones and those below, the only one chosen already', () => {
    const zones = [zone('d', null), zone('t', 'd'), zone('v', 't'), zone('c', 'd')]
    expect(reachable(zones, [])).toBeNull()
    expect([...(reachable(zones, ['t']) ?? [])].sort()).toEqual(['t', 'v'])
    const mine = zonesFor(zones, ['t'])
    expect(mine.map((z) => [z.id, z.parentId])).toEqual([
      ['t', null],
      ['v', 't'],
    ])
    expect(zonesFor(zones, [])).toHaveLength(4)
    expect(defaultZone(zonesFor(zones, ['c']))).toBe('c')
    expect(defaultZone(mine)).toBe('')
  })
})

describe('the map filters', () => {
  it('keeps a zone and everything below it, and one shown state, from the address', () => {
    const zones = [zone('d', null), zone('t', 'd'), zone('v', 't'), zone('c', 'd')]
    const nodes = [
      node({ id: 'a', zone: 'v', state: 'online', playing: true }),
      node({ id: 'b', zone: 't', state: 'online' }),
      node({ id: 'c', zone: 'c' }),
    ]
    const ids = (f: Parameters<typeof filterNodes>[2]) =>
      filterNodes(nodes, zones, f).map((n) => n.id)
    expect(ids({ zone: '', state: '' })).toEqual(['a', 'b', 'c'])
    expect(ids({ zone: 't', state: '' })).toEqual(['a', 'b'])
    expect(ids({ zone: 't', state: 'online' })).toEqual(['b'])
    expect(ids({ zone: '', state: 'playing' })).toEqual(['a'])
    expect(filterFromQuery({ zone: 't', state: 'offline' })).toEqual({
      zone: 't',
      state: 'offline',
    })
    expect(filterFromQuery({ zone: ['x'], state: 'asleep' })).toEqual({ zone: '', state: '' })
  })
})

describe('the base map style', () => {
  const view = { center: { lat: 36.66, lon: 101.76 }, zoom: 12 }
  // The app's API base: /next/ + ../
  const page = 'http://127.0.0.1:8080/'

  it('is a plain background with no base map, and loads no fonts or sprites', () => {
    const style = baseStyle({ base: 'none', url: null, ...view }, 'vector', page)
    expect(style.layers.map((l) => l.id)).toEqual(['background'])
    expect(style.sources).toEqual({})
    expect(style.glyphs).toBeUndefined()
    expect(style.sprite).toBeUndefined()
  })

  it('draws an intranet tile service as raster tiles', () => {
    const url = 'http://tiles.example.gov.cn/{z}/{x}/{y}.png'
    const style = baseStyle({ base: 'raster', url, ...view }, 'vector', page)
    expect(style.sources.base).toMatchObject({ type: 'raster', tiles: [url] })
    expect(style.layers.map((l) => l.type)).toEqual(['background', 'raster'])
  })

  it('reads the PMTiles file through the pmtiles protocol, vector or raster by its header', () => {
    expect(pmtilesUrl('api/map/tiles.pmtiles', 'http://h/chorus/')).toBe(
      'pmtiles://http://h/chorus/api/map/tiles.pmtiles',
    )
    const config = { base: 'pmtiles' as const, url: 'api/map/tiles.pmtiles', ...view }
    const vector = baseStyle(config, 'vector', page)
    expect(vector.sources.base).toEqual({
      type: 'vector',
      url: 'pmtiles://http://127.0.0.1:8080/api/map/tiles.pmtiles',
    })
    const layers = vector.layers
      .filter((l) => 'source-layer' in l)
      .map((l) => l['source-layer' as never])
    // Protomaps' and OpenMapTiles' layer names alike, and no text.
    expect(layers).toEqual(
      expect.arrayContaining(['water', 'roads', 'transportation', 'buildings', 'building']),
    )
    expect(vector.layers.some((l) => l.type === 'symbol')).toBe(false)
    const raster = baseStyle(config, 'raster', page)
    expect(raster.sources.base).toMatchObject({ type: 'raster' })
  })
})
