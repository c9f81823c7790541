import { describe, expect, it } from 'vitest'
import { DAY_REPORT_COLUMNS, SUMMARY_COLUMNS, summaryRows, tableOf } from './report-columns.js'
import type { Summary } from './reports.js'

const counts = {
  scheduled: 30,
  played: 28,
  madeGood: 1,
  silent: 0,
  interrupted: 0,
  failed: 1,
  missed: 0,
  pending: 0,
  reasons: { late: 1 },
}
const summary: Summary = {
  from: '2026-11-27',
  to: '2026-11-28',
  working: {
    days: 1,
    speakerDays: 2,
    scheduled: 30,
    played: 28,
    avgScheduledPerSpeaker: 15,
    avgPlayedPerSpeaker: 14,
  },
  rest: {
    days: 1,
    speakerDays: 2,
    scheduled: 20,
    played: 19,
    avgScheduledPerSpeaker: 10,
    avgPlayedPerSpeaker: 9.5,
  },
  totals: counts,
  days: [{ date: '2026-11-27', dayType: 'working', speakers: 2, ...counts, playedPerSpeaker: 14 }],
}

/** Rows as records keyed by header, as a spreadsheet reader sees them. */
function byHeader(t: { header: string[]; rows: unknown[][] }) {
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]])))
}

describe('report column tables', () => {
  it('have unique keys and headers in both languages', () => {
    for (const cols of [DAY_REPORT_COLUMNS, SUMMARY_COLUMNS]) {
      expect(new Set(cols.map((c) => c.key)).size).toBe(cols.length)
      for (const lang of ['zh', 'en'] as const) {
        expect(new Set(cols.map((c) => c.header[lang])).size).toBe(cols.length)
      }
    }
  })

  it('put each summary figure under its own header, the averages too', () => {
    const rows = byHeader(tableOf(SUMMARY_COLUMNS, summaryRows(summary), 'en'))
    expect(rows[0]).toMatchObject({
      date: '2026-11-27',
      speakers: 2,
      played: 28,
      speakerDays: null,
    })
    expect(rows[1]).toMatchObject({
      date: 'working-day average',
      dayType: 'working',
      speakers: null,
      scheduled: null,
      played: null,
      speakerDays: 2,
      avgScheduledPerSpeaker: 15,
      avgPlayedPerSpeaker: 14,
    })
    const zh = byHeader(tableOf(SUMMARY_COLUMNS, summaryRows(summary), 'zh'))
    expect(zh[2]).toMatchObject({
      日期: '休息日平均',
      日类型: '休息日',
      平均每喇叭已播: 9.5,
      已播: null,
    })
  })
})
