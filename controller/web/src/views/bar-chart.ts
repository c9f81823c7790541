import { niceTicks } from './ticks.js'

const SVG = 'http://www.w3.org/2000/svg'
const HEIGHT = 200
const PAD = { top: 12, right: 10, bottom: 26, left: 48 }

/** One day of the chart. */
export interface Bar {
  label: string
  /** Shown on hover and read by screen readers. */
  title: string
  scheduled: number
  played: number
  /** Rest days are drawn a little differently. */
  muted: boolean
}

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

/** Which bars get an x label, so labels do not collide (about 48 px each). */
export function labelEvery(bars: number, width: number): number {
  const slots = Math.max(1, Math.floor(width / 48))
  return Math.max(1, Math.ceil(bars / slots))
}

/**
 * Played against scheduled per day as overlapping bars: the scheduled bar outlined, the played
 * bar filled inside it, so a shortfall shows as the gap at the top.
 */
export function drawBars(bars: readonly Bar[], width: number, label: string): SVGSVGElement {
  const w = Math.max(240, Math.round(width))
  const root = svg('svg', {
    class: 'chart-svg bars-svg',
    width: w,
    height: HEIGHT,
    viewBox: `0 0 ${w} ${HEIGHT}`,
    role: 'img',
    'aria-label': label,
  })
  const plotW = w - PAD.left - PAD.right
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const max = Math.max(1, ...bars.map((b) => Math.max(b.scheduled, b.played)))
  // Counts: whole numbers only.
  const ticks = niceTicks(0, max).filter(Number.isInteger)
  const top = Math.max(max, ticks[ticks.length - 1] ?? max)
  const sy = (v: number) => PAD.top + plotH - (v / top) * plotH
  for (const y of ticks) {
    const py = sy(y).toFixed(1)
    root.append(
      svg('line', {
        class: y === 0 ? 'axis' : 'grid',
        x1: PAD.left,
        x2: w - PAD.right,
        y1: py,
        y2: py,
      }),
      svg(
        'text',
        { class: 'tick', x: PAD.left - 6, y: py, 'text-anchor': 'end', dy: '0.32em' },
        String(y),
      ),
    )
  }
  const slot = plotW / Math.max(1, bars.length)
  const bw = Math.max(1, Math.min(28, slot * 0.7))
  const every = labelEvery(bars.length, plotW)
  bars.forEach((b, i) => {
    const x = PAD.left + slot * i + (slot - bw) / 2
    const g = svg('g', { class: `bar${b.muted ? ' bar-rest' : ''}` })
    g.append(svg('title', {}, b.title))
    g.append(
      svg('rect', {
        class: 'bar-scheduled',
        x: x.toFixed(1),
        y: sy(b.scheduled).toFixed(1),
        width: bw.toFixed(1),
        height: Math.max(0, sy(0) - sy(b.scheduled)).toFixed(1),
      }),
      svg('rect', {
        class: 'bar-played',
        x: (x + bw * 0.15).toFixed(1),
        y: sy(b.played).toFixed(1),
        width: (bw * 0.7).toFixed(1),
        height: Math.max(0, sy(0) - sy(b.played)).toFixed(1),
      }),
    )
    root.append(g)
    if (i % every === 0) {
      root.append(
        svg(
          'text',
          { class: 'tick', x: (x + bw / 2).toFixed(1), y: HEIGHT - 8, 'text-anchor': 'middle' },
          b.label,
        ),
      )
    }
  })
  return root
}

/** A bar chart that fits its container and redraws when the width changes. */
export function createBarChart(label: string) {
  const el = document.createElement('div')
  el.className = 'chart bars'
  let bars: readonly Bar[] = []
  let width = 0
  const draw = () => el.replaceChildren(drawBars(bars, width || el.clientWidth || 600, label))
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
    set(next: readonly Bar[]): void {
      bars = next
      draw()
    },
    destroy: () => observer?.disconnect(),
  }
}
