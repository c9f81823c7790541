import type { DayReport, Lang, Readiness, Summary, Totals } from '../../../../../contract/index.js'
import {
  DAY_REPORT_COLUMNS,
  labelOf,
  PLAY_OUTCOME_LABELS,
  PLAY_REASON_LABELS,
  reasonsText,
} from '../../../../../contract/index.js'

// Pure helpers of the reports page: the outcome columns, problem rows, ranges and presets, the
// CSV addresses, and the played-vs-scheduled chart's option (ECharts) from the summary.

export type { DayReport, Readiness, Summary, Totals }

/** The summary API's longest range. */
export const MAX_DAYS = 366

/** The outcome counts a report shows, in order, with their headers (from contract/). */
export const COUNT_COLUMNS = DAY_REPORT_COLUMNS.filter((c) => c.unit === 'segments').map((c) => ({
  key: c.key as keyof Omit<Totals, 'reasons'>,
  header: c.header,
}))

/** Whether a row has anything other than played, made good or pending. */
export function hasProblems(
  c: Pick<Totals, 'silent' | 'interrupted' | 'failed' | 'missed'>,
): boolean {
  return c.silent + c.interrupted + c.failed + c.missed > 0
}

/** "97%" of played over scheduled; "—" with nothing scheduled. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : '—'
}

/** "14.98" segments per speaker (two decimals, trailing zeros dropped). */
export function perSpeaker(v: number): string {
  return String(Math.round(v * 100) / 100)
}

/** An item's status in words. */
export const statusText = (status: string, lang: Lang) => labelOf(PLAY_OUTCOME_LABELS, status, lang)
/** A reason in words ('' without one). */
export const reasonText = (reason: string | null, lang: Lang) =>
  reason ? labelOf(PLAY_REASON_LABELS, reason, lang) : ''
/** Reasons with counts, most frequent first: "离线×1; 迟到×2". */
export const reasonsLine = (reasons: Record<string, number>, lang: Lang) =>
  reasonsText(reasons, lang)

/** "YYYY-MM-DD" plus `n` days. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** Whether a summary of `from`…`to` is one the server takes (ordered, at most MAX_DAYS). */
export function validRange(from: string, to: string): boolean {
  if (!from || !to || from > to) return false
  return addDays(from, MAX_DAYS - 1) >= to
}

/** Range presets of the summary. */
export type Preset = 'thisMonth' | 'lastMonth' | 'last30'

/** A preset's range, relative to `today`. */
export function presetRange(p: Preset, today: string): [string, string] {
  const month = today.slice(0, 7)
  if (p === 'thisMonth') return [`${month}-01`, today]
  if (p === 'last30') return [addDays(today, -29), today]
  const first = `${month}-01`
  const lastEnd = addDays(first, -1)
  return [`${lastEnd.slice(0, 7)}-01`, lastEnd]
}

/** The CSV downloads (the server's CSV routes; the session cookie goes along with a link). */
export const dayCsvPath = (date: string, lang: Lang) =>
  `api/reports/day?date=${date}&format=csv&lang=${lang}`
export const summaryCsvPath = (from: string, to: string, lang: Lang) =>
  `api/reports/summary?from=${from}&to=${to}&format=csv&lang=${lang}`

/** The day report's zones in the tree's order (parents before children), with their depth. */
export function zonesInTreeOrder<Z extends { zoneId: string }>(
  byZone: readonly Z[],
  tree: readonly { id: string; parentId: string | null }[],
): (Z & { depth: number })[] {
  const children = new Map<string | null, string[]>()
  for (const z of tree) children.set(z.parentId, [...(children.get(z.parentId) ?? []), z.id])
  const place = new Map<string, { index: number; depth: number }>()
  const walk = (parent: string | null, depth: number) => {
    for (const id of children.get(parent) ?? []) {
      place.set(id, { index: place.size, depth })
      walk(id, depth + 1)
    }
  }
  walk(null, 0)
  const at = (id: string) => place.get(id)?.index ?? Number.MAX_SAFE_INTEGER
  return [...byZone]
    .sort((a, b) => at(a.zoneId) - at(b.zoneId))
    .map((z) => ({ ...z, depth: place.get(z.zoneId)?.depth ?? 0 }))
}

/** The words the chart shows. */
export interface ChartWords {
  scheduled: string
  played: string
}

/**
 * The played-vs-scheduled chart (ECharts option): a bar per day for scheduled and for played,
 * rest days' played bars in another colour, dates as "MM/DD".
 */
export function chartOption(s: Pick<Summary, 'days'>, words: ChartWords) {
  const muted = (i: number) => s.days[i]?.dayType === 'rest'
  return {
    animation: false,
    tooltip: { trigger: 'axis' as const },
    legend: { data: [words.scheduled, words.played], bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 56 },
    xAxis: {
      type: 'category' as const,
      data: s.days.map((d) => d.date.slice(5).replace('-', '/')),
    },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [
      {
        name: words.scheduled,
        type: 'bar' as const,
        itemStyle: { color: '#c0c4cc' },
        data: s.days.map((d) => d.scheduled),
      },
      {
        name: words.played,
        type: 'bar' as const,
        itemStyle: { color: '#b3261e' },
        data: s.days.map((d, i) =>
          muted(i) ? { value: d.played, itemStyle: { color: '#e6a23c' } } : d.played,
        ),
      },
    ],
  }
}
