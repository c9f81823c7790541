import { h, setText } from '../dom.js'
import { dayLabel } from '../format.js'
import type { I18n } from '../i18n.js'
import type { DayTypeFigures, Summary } from '../programme-types.js'
import { createBarChart } from './bar-chart.js'
import { dayTypeText, percent } from './programme-text.js'

/** "14.98" segments per speaker (two decimals, trailing zeros dropped). */
export function perSpeaker(v: number): string {
  return String(Math.round(v * 100) / 100)
}

/**
 * The summary over a date range: the district figure — average segments played per speaker on
 * working days and on rest days, against what was scheduled — and played vs scheduled per day.
 */
export function createSummaryReport(i18n: I18n) {
  const t = i18n.t
  const figures = h('div', { class: 'rp-figures' })
  const totals = h('p', { class: 'rp-reasons' })
  const chart = createBarChart(t('report.chartLabel'))
  const legend = h(
    'ul',
    { class: 'legend' },
    h(
      'li',
      { class: 'legend-item' },
      h('span', { class: 'swatch bar-swatch-scheduled' }),
      t('report.count.scheduled'),
    ),
    h(
      'li',
      { class: 'legend-item' },
      h('span', { class: 'swatch bar-swatch-played' }),
      t('report.count.played'),
    ),
    h(
      'li',
      { class: 'legend-item' },
      h('span', { class: 'swatch bar-swatch-rest' }),
      t('report.restDays'),
    ),
  )
  const el = h(
    'div',
    { class: 'rp-summary' },
    figures,
    totals,
    h(
      'figure',
      { class: 'chart-card rp-chart' },
      h('figcaption', {}, t('report.chartTitle')),
      chart.el,
      legend,
    ),
  )

  function figure(type: 'working' | 'rest', f: DayTypeFigures): HTMLElement {
    return h(
      'div',
      { class: `rp-figure rp-figure-${type}`, 'data-day-type': type },
      h(
        'span',
        { class: 'rp-figure-label' },
        t('report.figureLabel', { type: dayTypeText(i18n, type) }),
      ),
      h(
        'span',
        { class: 'rp-figure-value' },
        f.speakerDays > 0 ? perSpeaker(f.avgPlayedPerSpeaker) : t('common.none'),
      ),
      h(
        'span',
        { class: 'rp-figure-note' },
        f.speakerDays > 0
          ? t('report.figureNote', {
              scheduled: perSpeaker(f.avgScheduledPerSpeaker),
              days: f.days,
              speakerDays: f.speakerDays,
            })
          : t('report.noDays', { type: dayTypeText(i18n, type) }),
      ),
    )
  }

  return {
    el,
    show(s: Summary): void {
      figures.replaceChildren(figure('working', s.working), figure('rest', s.rest))
      setText(
        totals,
        t('report.rangeTotals', {
          played: s.totals.played,
          scheduled: s.totals.scheduled,
          pct: percent(s.totals.played, s.totals.scheduled),
        }),
      )
      chart.set(
        s.days.map((d) => ({
          label: d.date.slice(5).replace('-', '/'),
          title: t('report.barTitle', {
            day: dayLabel(d.date, i18n.locale()),
            type: dayTypeText(i18n, d.dayType),
            played: d.played,
            scheduled: d.scheduled,
          }),
          scheduled: d.scheduled,
          played: d.played,
          muted: d.dayType === 'rest',
        })),
      )
    },
    destroy: () => chart.destroy(),
  }
}
