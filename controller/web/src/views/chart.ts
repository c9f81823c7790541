import { niceTicks } from './ticks.js'

const SVG = 'http://www.w3.org/2000/svg'

/** A point; `y` null is a gap (no sample, node offline). */
export type Point = [x: number, y: number | null]

/** What a chart shows. */
export interface ChartData {
  points: Point[]
  /** The x range (e.g. the last 24 h); defaults to the points' range. */
  xMin?: number
  xMax?: number
  /** Tick positions on x, and their labels. */
  xTicks?: number[]
  xFormat: (x: number) => string
  yFormat: (y: number) => string
  /** The y range always includes these (e.g. 0 and 100 for the volume). */
  yInclude?: number[]
  /** Consecutive points further apart than this are not joined. */
  maxGap?: number
  /** A dashed line at this y, e.g. a threshold. */
  rule?: number
}

const HEIGHT = 170
const PAD = { top: 10, right: 12, bottom: 24, left: 52 }

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  if (text !== undefined) el.textContent = text
  return el
}

/** The y range: the data's, padded, widened to `include`, and rounded to ticks. */
function yRange(ys: number[], include: number[]): [number, number] {
  let lo = Math.min(...ys, ...include)
  let hi = Math.max(...ys, ...include)
  if (lo === hi) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.5 : 1
    lo -= pad
    hi += pad
  }
  const ticks = niceTicks(lo, hi)
  const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : hi - lo
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step]
}

/** Averages points into at most `columns` buckets along x, keeping gaps. */
function thin(points: Point[], xMin: number, xMax: number, columns: number): Point[] {
  if (points.length <= columns * 2) return points
  const width = (xMax - xMin) / columns
  const out: Point[] = []
  let bucket = -1
  let sum = 0
  let n = 0
  let x = 0
  const flush = () => {
    if (n > 0) out.push([x, sum / n])
    sum = 0
    n = 0
  }
  for (const [px, py] of points) {
    if (py === null) {
      flush()
      out.push([px, null])
      bucket = -1
      continue
    }
    const b = Math.floor((px - xMin) / width)
    if (b !== bucket) {
      flush()
      bucket = b
      x = px
    }
    sum += py
    n++
  }
  flush()
  return out
}

/** Draws the chart into an `<svg>` of the given width. */
export function drawChart(data: ChartData, width: number, label: string): SVGSVGElement {
  const w = Math.max(200, Math.round(width))
  const root = svg('svg', {
    class: 'chart-svg',
    width: w,
    height: HEIGHT,
    viewBox: `0 0 ${w} ${HEIGHT}`,
    role: 'img',
    'aria-label': label,
  })
  const known = data.points.filter((p): p is [number, number] => p[1] !== null)
  const xs = data.points.map((p) => p[0])
  const xMin = data.xMin ?? Math.min(...xs)
  const xMax = data.xMax ?? Math.max(...xs)
  const plotW = w - PAD.left - PAD.right
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const ys = known.map((p) => p[1])
  const [yMin, yMax] = yRange(ys.length > 0 ? ys : [0], data.yInclude ?? [])
  const sx = (x: number) => PAD.left + (xMax > xMin ? ((x - xMin) / (xMax - xMin)) * plotW : 0)
  const sy = (y: number) => PAD.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH

  for (const y of niceTicks(yMin, yMax)) {
    const py = sy(y).toFixed(1)
    root.append(
      svg('line', {
        class: y === 0 ? 'axis zero' : 'grid',
        x1: PAD.left,
        x2: w - PAD.right,
        y1: py,
        y2: py,
      }),
      svg(
        'text',
        { class: 'tick', x: PAD.left - 6, y: py, 'text-anchor': 'end', dy: '0.32em' },
        data.yFormat(y),
      ),
    )
  }
  for (const x of data.xTicks ?? []) {
    if (x < xMin || x > xMax) continue
    const px = sx(x).toFixed(1)
    root.append(
      svg('line', { class: 'grid', x1: px, x2: px, y1: PAD.top, y2: PAD.top + plotH }),
      svg(
        'text',
        { class: 'tick', x: px, y: HEIGHT - 6, 'text-anchor': 'middle' },
        data.xFormat(x),
      ),
    )
  }
  if (data.rule !== undefined && data.rule >= yMin && data.rule <= yMax) {
    const py = sy(data.rule).toFixed(1)
    root.append(svg('line', { class: 'rule', x1: PAD.left, x2: w - PAD.right, y1: py, y2: py }))
  }

  let d = ''
  let prevX: number | null = null
  let dots = ''
  const points = thin(data.points, xMin, xMax, plotW)
  for (let i = 0; i < points.length; i++) {
    const [x, y] = points[i] as Point
    if (y === null) {
      prevX = null
      continue
    }
    const joined = prevX !== null && (data.maxGap === undefined || x - prevX <= data.maxGap)
    const px = sx(x).toFixed(1)
    const py = sy(y).toFixed(1)
    d += `${joined ? 'L' : 'M'}${px} ${py}`
    // A lone sample has no line: show it as a dot.
    const next = points[i + 1]
    const joinsNext =
      next !== undefined &&
      next[1] !== null &&
      (data.maxGap === undefined || next[0] - x <= data.maxGap)
    if (!joined && !joinsNext) dots += `M${px} ${py}m-2.5 0a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0 -5 0`
    prevX = x
  }
  if (d) root.append(svg('path', { class: 'line', d }))
  if (dots) root.append(svg('path', { class: 'dots', d: dots }))
  return root
}

/**
 * A chart that fits its container: drawn at the container's width and again when that changes,
 * so labels keep their size on a phone.
 */
export function createChart(label: string) {
  const el = document.createElement('div')
  el.className = 'chart'
  let data: ChartData | null = null
  let width = 0
  const draw = () => {
    if (!data) return
    el.replaceChildren(drawChart(data, width || el.clientWidth || 600, label))
  }
  const observer =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver((entries) => {
          const next = Math.round(entries[0]?.contentRect.width ?? 0)
          if (next > 0 && Math.abs(next - width) >= 8) {
            width = next
            draw()
          }
        })
      : null
  observer?.observe(el)
  return {
    el,
    set(next: ChartData): void {
      data = next
      draw()
    },
    destroy: () => observer?.disconnect(),
  }
}
