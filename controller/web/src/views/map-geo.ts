import type { NodeView } from '../types.js'

/** A node placed on the canvas, in CSS pixels. */
export interface Placed {
  node: NodeView
  x: number
  y: number
}

/** The projection of a fitted view: lon/lat → pixels, and back. */
export interface Projection {
  x(lon: number): number
  y(lat: number): number
  lon(x: number): number
  lat(y: number): number
}

/** Whether a node has usable coordinates. */
export function hasPosition(n: NodeView): boolean {
  return (
    typeof n.lat === 'number' &&
    typeof n.lon === 'number' &&
    Number.isFinite(n.lat) &&
    Number.isFinite(n.lon) &&
    Math.abs(n.lat) <= 90 &&
    Math.abs(n.lon) <= 180
  )
}

/**
 * Fits the nodes' bounding box into width × height (minus `pad`) with an equirectangular
 * projection, longitudes shrunk by cos(mean latitude) so a district keeps its shape.
 */
export function fitView(
  nodes: readonly NodeView[],
  width: number,
  height: number,
  pad: number,
): Projection {
  let minLat = Number.POSITIVE_INFINITY
  let maxLat = Number.NEGATIVE_INFINITY
  let minLon = Number.POSITIVE_INFINITY
  let maxLon = Number.NEGATIVE_INFINITY
  for (const n of nodes) {
    const lat = n.lat as number
    const lon = n.lon as number
    if (lat < minLat) minLat = lat
    if (lat > maxLat) maxLat = lat
    if (lon < minLon) minLon = lon
    if (lon > maxLon) maxLon = lon
  }
  if (!Number.isFinite(minLat)) {
    minLat = maxLat = 0
    minLon = maxLon = 0
  }
  // A single place (or a line) still gets a sensible scale: at least ~500 m across.
  const minSpan = 0.005
  const midLat = (minLat + maxLat) / 2
  const midLon = (minLon + maxLon) / 2
  const k = Math.cos((midLat * Math.PI) / 180) || 1
  const spanX = Math.max((maxLon - minLon) * k, minSpan)
  const spanY = Math.max(maxLat - minLat, minSpan)
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY)
  const cx = width / 2
  const cy = height / 2
  return {
    x: (lon) => cx + (lon - midLon) * k * scale,
    y: (lat) => cy - (lat - midLat) * scale,
    lon: (x) => midLon + (x - cx) / (k * scale),
    lat: (y) => midLat - (y - cy) / scale,
  }
}

/** Places the nodes with coordinates; the rest are returned apart. */
export function place(
  nodes: readonly NodeView[],
  width: number,
  height: number,
  pad: number,
): { placed: Placed[]; unplaced: NodeView[]; projection: Projection } {
  const withPos: NodeView[] = []
  const unplaced: NodeView[] = []
  for (const n of nodes) (hasPosition(n) ? withPos : unplaced).push(n)
  const projection = fitView(withPos, width, height, pad)
  const placed = withPos.map((node) => ({
    node,
    x: projection.x(node.lon as number),
    y: projection.y(node.lat as number),
  }))
  return { placed, unplaced, projection }
}

/** The placed node nearest to (x, y) within `radius` pixels, if any. */
export function nearest(
  placed: readonly Placed[],
  x: number,
  y: number,
  radius: number,
): Placed | null {
  let best: Placed | null = null
  let bestD = radius * radius
  for (const p of placed) {
    const d = (p.x - x) ** 2 + (p.y - y) ** 2
    if (d <= bestD) {
      best = p
      bestD = d
    }
  }
  return best
}
