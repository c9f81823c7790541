import type { ShownState } from '../node-state.js'
import type { Placed, Projection } from './map-geo.js'
import { niceTicks } from './ticks.js'

/** Colours read from the page's CSS, so the map follows the light and dark themes. */
export interface MapColours {
  background: string
  grid: string
  label: string
  states: Record<ShownState, string>
  focus: string
}

/** Reads the map colours from CSS custom properties on `el`. */
export function coloursOf(el: Element): MapColours {
  const css = getComputedStyle(el)
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback
  return {
    background: v('--surface', '#fff'),
    grid: v('--border', '#dbe1e8'),
    label: v('--muted', '#5a6676'),
    focus: v('--focus', '#2f7de1'),
    states: {
      online: v('--ok-fg', '#126b33'),
      degraded: v('--warn-fg', '#854800'),
      flapping: v('--flap-fg', '#6b3fa0'),
      offline: v('--bad-fg', '#a3221a'),
      retired: v('--idle-fg', '#4f5b69'),
    },
  }
}

/** Drawing order: healthy first, so problems are drawn on top. */
export const DRAW_ORDER: Record<ShownState, number> = {
  retired: 0,
  online: 1,
  degraded: 2,
  flapping: 3,
  offline: 4,
}

/** A node's marker: its shape tells the state without colour (as the badges do). */
export function marker(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  state: ShownState,
  colour: string,
  r: number,
): void {
  ctx.beginPath()
  switch (state) {
    case 'degraded':
      ctx.moveTo(x, y - r * 1.25)
      ctx.lineTo(x + r * 1.15, y + r * 0.8)
      ctx.lineTo(x - r * 1.15, y + r * 0.8)
      ctx.closePath()
      break
    case 'flapping':
      ctx.moveTo(x, y - r * 1.2)
      ctx.lineTo(x + r * 1.2, y)
      ctx.lineTo(x, y + r * 1.2)
      ctx.lineTo(x - r * 1.2, y)
      ctx.closePath()
      break
    case 'retired':
      ctx.rect(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6)
      break
    default:
      ctx.arc(x, y, r, 0, Math.PI * 2)
  }
  if (state === 'offline') {
    // A ring: hollow, thick, plus the colour.
    ctx.lineWidth = 2.5
    ctx.strokeStyle = colour
    ctx.fillStyle = 'rgba(255,255,255,0.85)'
    ctx.fill()
    ctx.stroke()
  } else {
    ctx.fillStyle = colour
    ctx.fill()
    ctx.lineWidth = 1
    ctx.strokeStyle = 'rgba(255,255,255,0.9)'
    ctx.stroke()
  }
}

/** A light graticule with degree labels, for orientation without map tiles. */
function graticule(
  ctx: CanvasRenderingContext2D,
  proj: Projection,
  width: number,
  height: number,
  colours: MapColours,
): void {
  ctx.lineWidth = 1
  ctx.strokeStyle = colours.grid
  ctx.fillStyle = colours.label
  ctx.font = '11px system-ui, sans-serif'
  const lons = niceTicks(proj.lon(0), proj.lon(width), 5)
  const lats = niceTicks(proj.lat(height), proj.lat(0), 4)
  // Enough decimals to tell the ticks apart (0.025° steps need three).
  const digits = (ticks: number[]) => {
    const step = ticks.length > 1 ? Math.abs((ticks[1] as number) - (ticks[0] as number)) : 1
    let d = 0
    while (d < 5 && Math.abs(step * 10 ** d - Math.round(step * 10 ** d)) > 1e-6) d++
    return d
  }
  const dx = digits(lons)
  const dy = digits(lats)
  ctx.textBaseline = 'bottom'
  for (const lon of lons) {
    const x = Math.round(proj.x(lon)) + 0.5
    ctx.beginPath()
    ctx.moveTo(x, 0)
    ctx.lineTo(x, height)
    ctx.stroke()
    if (x < width - 70) {
      ctx.fillText(`${Math.abs(lon).toFixed(dx)}°${lon >= 0 ? 'E' : 'W'}`, x + 3, height - 3)
    }
  }
  for (const lat of lats) {
    const y = Math.round(proj.y(lat)) + 0.5
    ctx.beginPath()
    ctx.moveTo(0, y)
    ctx.lineTo(width, y)
    ctx.stroke()
    if (y > 16 && y < height - 16) {
      ctx.fillText(`${Math.abs(lat).toFixed(dy)}°${lat >= 0 ? 'N' : 'S'}`, 3, y - 2)
    }
  }
}

/** Round distances for the scale bar, in metres. */
const SCALE_STEPS = [10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5]

/** A scale bar in the bottom right corner ("500 m", "2 km"), at most 120 px long. */
function scaleBar(
  ctx: CanvasRenderingContext2D,
  proj: Projection,
  width: number,
  height: number,
  colours: MapColours,
): void {
  // Metres per pixel along a meridian (a degree of latitude is about 111.32 km).
  const perPx = Math.abs(proj.lat(0) - proj.lat(1)) * 111_320
  const metres = [...SCALE_STEPS].reverse().find((m) => m / perPx <= 120)
  if (!metres) return
  const len = metres / perPx
  const x = width - 16 - len
  const y = height - 22
  ctx.strokeStyle = colours.label
  ctx.lineWidth = 2
  ctx.beginPath()
  ctx.moveTo(x, y - 5)
  ctx.lineTo(x, y)
  ctx.lineTo(x + len, y)
  ctx.lineTo(x + len, y - 5)
  ctx.stroke()
  ctx.fillStyle = colours.label
  ctx.textAlign = 'center'
  ctx.textBaseline = 'bottom'
  ctx.fillText(metres >= 1000 ? `${metres / 1000} km` : `${metres} m`, x + len / 2, y - 3)
  ctx.textAlign = 'start'
}

/** Draws the map: background, graticule, every placed node, and a ring round the focus. */
export function drawMap(
  canvas: HTMLCanvasElement,
  opts: {
    width: number
    height: number
    placed: readonly Placed[]
    stateOf: (p: Placed) => ShownState
    projection: Projection
    colours: MapColours
    focus: Placed | null
  },
): void {
  const dpr = window.devicePixelRatio || 1
  const w = Math.round(opts.width * dpr)
  const h = Math.round(opts.height * dpr)
  if (canvas.width !== w) canvas.width = w
  if (canvas.height !== h) canvas.height = h
  const ctx = canvas.getContext('2d')
  if (!ctx) return
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
  ctx.fillStyle = opts.colours.background
  ctx.fillRect(0, 0, opts.width, opts.height)
  if (opts.placed.length > 0) {
    graticule(ctx, opts.projection, opts.width, opts.height, opts.colours)
    scaleBar(ctx, opts.projection, opts.width, opts.height, opts.colours)
  }
  // Smaller markers when the fleet is large, so a province stays readable.
  const r = opts.placed.length > 2000 ? 3 : opts.placed.length > 300 ? 4.5 : 6
  for (const p of opts.placed) {
    const s = opts.stateOf(p)
    marker(ctx, p.x, p.y, s, opts.colours.states[s], r)
  }
  if (opts.focus) {
    ctx.beginPath()
    ctx.arc(opts.focus.x, opts.focus.y, r + 7, 0, Math.PI * 2)
    ctx.lineWidth = 3
    ctx.strokeStyle = opts.colours.focus
    ctx.stroke()
  }
}
