import { errorText } from '../api.js'
import { h, setText } from '../dom.js'
import { bytesText, clockOf, secondsText, tzOffsetMs } from '../format.js'
import type { I18n, MessageKey } from '../i18n.js'
import type { Play, TelemetrySample, Timing } from '../types.js'
import { type ChartData, createChart, type Point } from './chart.js'
import { clockText } from './state-text.js'

/** Hours of telemetry charted. */
export const TELEMETRY_HOURS = 24

const HOUR = 3_600_000

/** Every 6 local hours within [from, to] (axis ticks). */
export function sixHourTicks(from: number, to: number, tz: string): number[] {
  const out: number[] = []
  for (let x = Math.ceil(from / HOUR) * HOUR; x <= to; x += HOUR) {
    const localHour = Math.floor((x + tzOffsetMs(tz, x)) / HOUR) % 24
    if (localHour % 6 === 0) out.push(x)
  }
  return out
}

/** Samples further apart than this are not joined (the node was away). */
function gapOf(xs: number[]): number {
  const d: number[] = []
  for (let i = 1; i < xs.length; i++) d.push((xs[i] as number) - (xs[i - 1] as number))
  d.sort((a, b) => a - b)
  const median = d[Math.floor(d.length / 2)] ?? 60_000
  return Math.max(3 * median, 120_000)
}

interface Metric {
  key: 'volume' | 'clock' | 'memory' | 'disk'
  value: (s: TelemetrySample) => number | null
  format: (v: number) => string
  include?: number[]
}

const MB = 1024 * 1024
const GB = 1024 * MB

/** Telemetry of the last 24 h: volume, clock offset, memory, free disk; one chart each. */
export function createTelemetryCharts(i18n: I18n) {
  const t = i18n.t
  const metrics: Metric[] = [
    {
      key: 'volume',
      value: (s) => s.volume,
      format: (v) => String(Math.round(v)),
      include: [0, 100],
    },
    {
      key: 'clock',
      value: (s) => s.clockOffsetMs,
      format: (v) => t('unit.ms', { n: Number(v.toFixed(Math.abs(v) < 10 ? 1 : 0)) }),
      include: [0],
    },
    { key: 'memory', value: (s) => s.memRssBytes, format: (v) => bytesText(v), include: [0] },
    { key: 'disk', value: (s) => s.freeDiskBytes, format: (v) => bytesText(v), include: [0] },
  ]
  const cards = metrics.map((m) => {
    const title = t(`chart.${m.key}` as MessageKey)
    const latest = h('span', { class: 'chart-latest' })
    const chart = createChart(title)
    const el = h(
      'figure',
      { class: 'chart-card', 'data-metric': m.key },
      h('figcaption', {}, h('span', { class: 'chart-title' }, title), latest),
      chart.el,
    )
    return { m, el, latest, chart, title }
  })
  const message = h('p', { class: 'message', hidden: true })
  const el = h('div', {}, message, h('div', { class: 'charts' }, ...cards.map((c) => c.el)))

  return {
    el,
    show(samples: readonly TelemetrySample[], tz: string): void {
      const now = Date.now()
      const from = now - TELEMETRY_HOURS * HOUR
      message.hidden = samples.length > 0
      setText(message, t('chart.noSamples'))
      const xs = samples.map((s) => Date.parse(s.receivedAt || s.at))
      const maxGap = gapOf(xs)
      const xTicks = sixHourTicks(from, now, tz)
      for (const c of cards) {
        const points: Point[] = samples.map((s, i) => {
          const v = c.m.value(s)
          return [xs[i] as number, typeof v === 'number' ? v : null]
        })
        const known = points.filter((p) => p[1] !== null)
        const last = known.at(-1)
        setText(c.latest, last ? c.m.format(last[1] as number) : t('common.none'))
        c.el.hidden = samples.length === 0
        const ys = known.map((p) => p[1] as number)
        const summary =
          ys.length > 0
            ? t('chart.summary', {
                title: c.title,
                latest: c.m.format(ys.at(-1) as number),
                min: c.m.format(Math.min(...ys)),
                max: c.m.format(Math.max(...ys)),
              })
            : c.title
        c.el.setAttribute('aria-label', summary)
        const data: ChartData = {
          points,
          xMin: from,
          xMax: now,
          xTicks,
          xFormat: (x) => clockOf(x, tz),
          yFormat: c.m.format,
          yInclude: c.m.include,
          maxGap,
        }
        if (c.m.key === 'memory' || c.m.key === 'disk') {
          // Bytes are charted in MB or GB, so the axis gets round ticks.
          const big = ys.length > 0 && Math.max(...ys) >= 2 * GB
          const unit = big ? GB : MB
          data.points = points.map(([x, y]) => [x, y === null ? null : y / unit])
          data.yFormat = (v) => `${Number(v.toFixed(2))} ${big ? 'GB' : 'MB'}`
        }
        c.chart.set(data)
      }
    },
    fail(err: unknown): void {
      message.hidden = false
      setText(message, t('common.loadError', { msg: errorText(err) }))
      for (const c of cards) c.el.hidden = true
    },
    destroy(): void {
      for (const c of cards) c.chart.destroy()
    },
  }
}

/** "晚 1.8 秒", "早 0.3 秒", "准时". */
export function deviationText(i18n: I18n, ms: number): string {
  if (Math.abs(ms) < 50) return i18n.t('timing.onTime')
  return i18n.t(ms > 0 ? 'timing.late' : 'timing.early', { s: secondsText(Math.abs(ms)) })
}

/** Timing accuracy: the median start deviation, the clock offset, and the deviation trend. */
export function createTimingPanel(i18n: I18n, lateMs: number) {
  const t = i18n.t
  const median = h('strong', { class: 'timing-median' })
  const clock = h('span', { class: 'timing-clock' })
  const title = t('timing.trend')
  const chart = createChart(title)
  const empty = h('p', { class: 'message', hidden: true }, t('timing.none'))
  const el = h(
    'div',
    { class: 'panel timing' },
    h('p', { class: 'timing-figures' }, median, clock),
    h('figure', { class: 'chart-card' }, h('figcaption', {}, title), chart.el),
    empty,
  )
  return {
    el,
    show(timing: Timing | null, plays: readonly Play[], tz: string): void {
      const m = timing?.medianDeviationMs ?? null
      setText(
        median,
        m === null ? t('timing.noMedian') : t('timing.median', { text: deviationText(i18n, m) }),
      )
      median.dataset.late = String(m !== null && m > lateMs)
      setText(clock, clockText(i18n, timing))
      // Plays carry the start deviation with its time; else the timing samples, oldest first.
      const started = plays
        .filter((p) => p.type === 'play.started' && typeof p.deviationMs === 'number')
        .map((p): Point => [Date.parse(p.at), p.deviationMs as number])
        .sort((a, b) => a[0] - b[0])
      let data: ChartData | null = null
      if (started.length > 0) {
        data = {
          points: started,
          xFormat: (x) => clockOf(x, tz),
          xTicks: [],
          yFormat: (v) => t('unit.s', { n: secondsText(v) }),
          yInclude: [0],
          rule: lateMs,
        }
      } else if (timing && timing.samples.length > 0) {
        const samples = [...timing.samples].reverse()
        data = {
          points: samples.map((v, i): Point => [i, v]),
          xFormat: String,
          yFormat: (v) => t('unit.s', { n: secondsText(v) }),
          yInclude: [0],
          rule: lateMs,
        }
      }
      chart.el.parentElement?.toggleAttribute('hidden', data === null)
      empty.hidden = data !== null
      if (data) chart.set(data)
    },
    destroy: () => chart.destroy(),
  }
}
