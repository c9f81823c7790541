import { h, setHidden, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import { shownState } from '../node-state.js'
import type { NodeView } from '../types.js'
import { coloursOf, drawMap } from './map-draw.js'
import { fitView, hasPosition, type Placed, type Projection } from './map-geo.js'

const PAD = 28
const HEIGHT = 260

/** A position on the map. */
export interface LatLon {
  lat: number
  lon: number
}

/**
 * A small canvas map of the existing nodes (no tiles: the network may be closed) on which a tap
 * chooses the new node's position. The chosen point is drawn as a pin; the view is fitted to
 * the nodes (and to the chosen point when it falls outside them).
 */
export function createPickMap(i18n: I18n, onPick: (p: LatLon) => void) {
  const t = i18n.t
  const canvas = h('canvas', {
    class: 'pick-canvas',
    role: 'img',
    'aria-label': t('install.mapLabel'),
  })
  const empty = h('p', { class: 'panel-note pick-empty' }, t('install.mapEmpty'))
  const el = h('div', { class: 'pick-map' }, canvas, empty)
  let nodes: NodeView[] = []
  let chosen: LatLon | null = null
  let projection: Projection | null = null
  let width = 0
  let frame = 0

  function render(): void {
    frame = 0
    const placedNodes = nodes.filter(hasPosition)
    const can = placedNodes.length > 0 || chosen !== null
    setHidden(canvas, !can)
    setHidden(empty, can)
    if (!can) return
    width = Math.max(260, Math.round(el.clientWidth || 320))
    canvas.style.width = `${width}px`
    canvas.style.height = `${HEIGHT}px`
    const pin = chosen ? ({ lat: chosen.lat, lon: chosen.lon } as NodeView) : null
    let proj = fitView(placedNodes.length > 0 ? placedNodes : [pin as NodeView], width, HEIGHT, PAD)
    if (pin && placedNodes.length > 0) {
      const x = proj.x(pin.lon as number)
      const y = proj.y(pin.lat as number)
      if (x < PAD || x > width - PAD || y < PAD || y > HEIGHT - PAD) {
        proj = fitView([...placedNodes, pin], width, HEIGHT, PAD)
      }
    }
    projection = proj
    const placed: Placed[] = placedNodes.map((node) => ({
      node,
      x: proj.x(node.lon as number),
      y: proj.y(node.lat as number),
    }))
    const colours = coloursOf(el)
    drawMap(canvas, {
      width,
      height: HEIGHT,
      placed,
      stateOf: (p) => shownState(p.node),
      projection: proj,
      colours,
      focus: null,
    })
    if (chosen) drawPin(canvas, proj.x(chosen.lon), proj.y(chosen.lat), colours.focus)
    canvas.dataset.nodes = String(placed.length)
    canvas.dataset.chosen = chosen ? `${chosen.lat.toFixed(6)},${chosen.lon.toFixed(6)}` : ''
  }
  const schedule = () => {
    frame ||= requestAnimationFrame(render)
  }

  canvas.addEventListener('pointerup', (e) => {
    if (!projection) return
    const box = canvas.getBoundingClientRect()
    const lat = projection.lat(e.clientY - box.top)
    const lon = projection.lon(e.clientX - box.left)
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return
    chosen = { lat: round6(lat), lon: round6(lon) }
    schedule()
    onPick(chosen)
  })

  const observer =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
          if (Math.abs((el.clientWidth || 0) - width) >= 4) schedule()
        })
      : null
  observer?.observe(el)

  return {
    el,
    /** The nodes to draw (the user's zones). */
    setNodes(list: NodeView[]): void {
      nodes = list
      schedule()
    },
    /** The chosen position (from the phone's location or typed), or none. */
    setChosen(p: LatLon | null): void {
      chosen = p
      schedule()
    },
    /** Says why the map cannot be shown (a message instead of the empty note). */
    setNote(text: string): void {
      setText(empty, text)
    },
    destroy(): void {
      observer?.disconnect()
      cancelAnimationFrame(frame)
    },
  }
}

/** Six decimals: about 10 cm, more than a phone's location is worth. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6
}

/** A map pin: a ring with a dot and a short crosshair, in the focus colour. */
function drawPin(canvas: HTMLCanvasElement, x: number, y: number, colour: string): void {
  const ctx = canvas.getContext('2d')
  if (!ctx) return
  ctx.save()
  ctx.strokeStyle = colour
  ctx.fillStyle = colour
  ctx.lineWidth = 3
  ctx.beginPath()
  ctx.arc(x, y, 11, 0, Math.PI * 2)
  ctx.stroke()
  ctx.beginPath()
  ctx.arc(x, y, 3.5, 0, Math.PI * 2)
  ctx.fill()
  ctx.lineWidth = 2
  ctx.beginPath()
  for (const [dx, dy] of [
    [0, -1],
    [0, 1],
    [-1, 0],
    [1, 0],
  ] as const) {
    ctx.moveTo(x + dx * 14, y + dy * 14)
    ctx.lineTo(x + dx * 20, y + dy * 20)
  }
  ctx.stroke()
  ctx.restore()
}
