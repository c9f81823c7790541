import 'maplibre-gl/dist/maplibre-gl.css'
import * as maplibregl from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { PMTiles, Protocol, TileType } from 'pmtiles'
import type { MapConfig } from './map'
import { baseStyle, pmtilesUrl, type TileKind } from './map-style'

// MapLibre GL set up for a closed network and the page's CSP: its worker is a file of this
// build (no blob: worker), the PMTiles file is read with range requests through the `pmtiles`
// protocol, and the style loads no fonts or sprites.

/** What the PMTiles file holds, from its header (vector unless it says an image format). */
async function tileKind(protocol: Protocol, url: string): Promise<TileKind> {
  const file = new PMTiles(url.slice('pmtiles://'.length))
  protocol.add(file)
  const header = await file.getHeader()
  return header.tileType === TileType.Mvt || header.tileType === TileType.Mlt ? 'vector' : 'raster'
}

/**
 * A map in `container` over the configured base map, at the district's default view. Throws
 * when the browser cannot draw it (no WebGL): the caller says so and keeps its lists.
 */
export async function createBaseMap(container: HTMLElement, config: MapConfig) {
  maplibregl.setWorkerUrl(workerUrl)
  // The API's base: the app is at /next/, its calls go to ../api/ (a sub-path proxy works).
  const apiBase = new URL('../', location.href).href
  let kind: TileKind = 'vector'
  if (config.base === 'pmtiles' && config.url) {
    const protocol = new Protocol()
    // addProtocol replaces an earlier registration: every map reads through its own.
    maplibregl.addProtocol('pmtiles', protocol.tile)
    try {
      kind = await tileKind(protocol, pmtilesUrl(config.url, apiBase))
    } catch {
      // An unreadable file draws the plain background; the speakers still show.
    }
  }
  const map = new maplibregl.Map({
    container,
    style: baseStyle(config, kind, apiBase),
    center: [config.center.lon, config.center.lat],
    zoom: config.zoom,
    attributionControl: false,
    // A phone page scrolls with one finger; the map pans with two.
    cooperativeGestures: false,
    dragRotate: false,
    pitchWithRotate: false,
  })
  map.touchZoomRotate.disableRotation()
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right')
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left')
  return map
}

export { maplibregl }
