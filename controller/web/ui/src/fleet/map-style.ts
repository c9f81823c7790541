import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl'
import type { MapConfig } from './map'

// The base map's MapLibre style, built from GET /api/map (docs/operations.md "The base map"):
// a plain background always (usable with no base map at all), a raster layer for an intranet
// tile service or a raster PMTiles file, or a plain built-in style (land, water, roads,
// buildings, no text: label fonts would have to come from somewhere) for a vector PMTiles file.
// No glyphs, no sprite: the style loads nothing but the tiles. Pure, unit-tested.

/** The id of the source and layers the speakers are drawn with (above the base map). */
export const NODES_SOURCE = 'nodes'

/** What the PMTiles file holds (its header's tile type). */
export type TileKind = 'vector' | 'raster'

const BACKGROUND = '#eef0f3'
const LAND = '#f5f5f0'
const WATER = '#a8cbe6'
const PARK = '#d8ead2'
const ROAD = '#ffffff'
const ROAD_CASE = '#d2d5da'
const BUILDING = '#e0dcd6'
const BOUNDARY = '#a3a7ae'

/**
 * The absolute URL of the PMTiles file for the `pmtiles://` protocol. GET /api/map names it
 * relative to the API's base (`api/map/tiles.pmtiles`), which is the app's `../`.
 */
export function pmtilesUrl(url: string, apiBase: string): string {
  return `pmtiles://${new URL(url, apiBase).href}`
}

/**
 * Vector layers for the two schemas a district's file is usually cut with: Protomaps' basemap
 * (`earth`, `water`, `landuse`, `roads`, `buildings`, `boundaries`) and OpenMapTiles'
 * (planetiler, tilemaker: `water`, `landcover`, `park`, `transportation`, `building`,
 * `boundary`). A layer whose source layer the file lacks draws nothing.
 */
function vectorLayers(source: string): LayerSpecification[] {
  const fill = (id: string, layer: string, color: string): LayerSpecification => ({
    id,
    type: 'fill',
    source,
    'source-layer': layer,
    paint: { 'fill-color': color },
  })
  const line = (
    id: string,
    layer: string,
    color: string,
    width: number,
    dash?: number[],
  ): LayerSpecification => ({
    id,
    type: 'line',
    source,
    'source-layer': layer,
    paint: {
      'line-color': color,
      'line-width': ['interpolate', ['linear'], ['zoom'], 10, width / 3, 16, width * 2],
      ...(dash ? { 'line-dasharray': dash } : {}),
    },
  })
  return [
    fill('earth', 'earth', LAND),
    fill('landuse', 'landuse', PARK),
    fill('landcover', 'landcover', PARK),
    fill('park', 'park', PARK),
    fill('water', 'water', WATER),
    line('roads-case', 'roads', ROAD_CASE, 4),
    line('roads', 'roads', ROAD, 3),
    line('transportation-case', 'transportation', ROAD_CASE, 4),
    line('transportation', 'transportation', ROAD, 3),
    fill('buildings', 'buildings', BUILDING),
    fill('building', 'building', BUILDING),
    line('boundaries', 'boundaries', BOUNDARY, 1.5, [3, 2]),
    line('boundary', 'boundary', BOUNDARY, 1.5, [3, 2]),
  ]
}

/**
 * The style for `config`; `kind` says what a PMTiles file holds (read from its header) and
 * `apiBase` resolves its relative URL.
 */
export function baseStyle(config: MapConfig, kind: TileKind, apiBase: string): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {}
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } },
  ]
  if (config.base === 'raster' && config.url) {
    sources.base = { type: 'raster', tiles: [config.url], tileSize: 256, maxzoom: 19 }
    layers.push({ id: 'base', type: 'raster', source: 'base' })
  } else if (config.base === 'pmtiles' && config.url) {
    const url = pmtilesUrl(config.url, apiBase)
    if (kind === 'raster') {
      sources.base = { type: 'raster', url, tileSize: 256 }
      layers.push({ id: 'base', type: 'raster', source: 'base' })
    } else {
      sources.base = { type: 'vector', url }
      layers.push(...vectorLayers('base'))
    }
  }
  return { version: 8, sources, layers }
}
