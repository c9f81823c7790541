/**
 * @module contract/report-columns
 * The reports' columns as tables: key, header in Chinese and English, unit and how to read the
 * value from a row. The CSV downloads are built from them, and so is the web UI's report table,
 * so a column is added in one place and its header always sits above its own values.
 */
import { DAY_TYPE_LABELS, type Label, type Lang, labelOf, reasonsText } from './labels.js'
import type { DayReport, Summary } from './reports.js'

/** One cell of a report table. */
export type Cell = string | number | boolean | null

/** What a column's numbers count (null: not a number). */
export type Unit = 'segments' | 'speakers' | 'speakerDays' | 'segmentsPerSpeaker' | null

/** One column of a report table. */
export interface ReportColumn<Row> {
  key: string
  header: Label
  unit: Unit
  value: (row: Row, lang: Lang) => Cell
}

type Counts = Pick<
  DayReport['totals'],
  'scheduled' | 'played' | 'madeGood' | 'silent' | 'interrupted' | 'failed' | 'missed' | 'pending'
>

const count = <Row extends Partial<Counts>>(key: keyof Counts, zh: string): ReportColumn<Row> => ({
  key,
  header: { zh, en: key },
  unit: 'segments',
  value: (row) => row[key] ?? null,
})

/** The outcome counts, in the order every report shows them. */
function countColumns<Row extends Partial<Counts>>(): ReportColumn<Row>[] {
  return [
    count('scheduled', '计划'),
    count('played', '已播'),
    count('madeGood', '补播'),
    count('silent', '无声'),
    count('interrupted', '被打断'),
    count('failed', '失败'),
    count('missed', '未播'),
    count('pending', '待播'),
  ]
}

/** One row of the day report's table: a speaker on that date. */
export type DayReportRow = DayReport['nodes'][number] & { date: string }

/** The day report, one row per speaker (GET /api/reports/day?format=csv). */
export const DAY_REPORT_COLUMNS: readonly ReportColumn<DayReportRow>[] = [
  { key: 'date', header: { zh: '日期', en: 'date' }, unit: null, value: (r) => r.date },
  { key: 'nodeId', header: { zh: '节点ID', en: 'nodeId' }, unit: null, value: (r) => r.nodeId },
  { key: 'name', header: { zh: '节点名称', en: 'name' }, unit: null, value: (r) => r.name },
  { key: 'zone', header: { zh: '区域', en: 'zone' }, unit: null, value: (r) => r.zoneName },
  { key: 'test', header: { zh: '测试节点', en: 'test' }, unit: null, value: (r) => r.isTest },
  ...countColumns<DayReportRow>(),
  {
    key: 'reasons',
    header: { zh: '原因', en: 'reasons' },
    unit: null,
    value: (r, lang) => reasonsText(r.reasons, lang),
  },
]

/**
 * One row of the summary's table: a date, or a day type's average per speaker (`average`),
 * whose figures have columns of their own.
 */
export type SummaryRow =
  | ({ average?: undefined } & Summary['days'][number])
  | ({ average: true; dayType: 'working' | 'rest' } & Pick<
      Summary['working'],
      'speakerDays' | 'avgScheduledPerSpeaker' | 'avgPlayedPerSpeaker'
    >)

const AVERAGE_LABELS = {
  working: { zh: '工作日平均', en: 'working-day average' },
  rest: { zh: '休息日平均', en: 'rest-day average' },
} as const satisfies Record<'working' | 'rest', Label>

const onDay =
  <K extends keyof Summary['days'][number]>(key: K) =>
  (r: SummaryRow): Cell =>
    r.average ? null : (r[key] as Cell)
const onAverage =
  (key: 'speakerDays' | 'avgScheduledPerSpeaker' | 'avgPlayedPerSpeaker') =>
  (r: SummaryRow): Cell =>
    r.average ? r[key] : null

/** The summary over a range of dates (GET /api/reports/summary?format=csv). */
export const SUMMARY_COLUMNS: readonly ReportColumn<SummaryRow>[] = [
  {
    key: 'date',
    header: { zh: '日期', en: 'date' },
    unit: null,
    value: (r, lang) => (r.average ? AVERAGE_LABELS[r.dayType][lang] : r.date),
  },
  {
    key: 'dayType',
    header: { zh: '日类型', en: 'dayType' },
    unit: null,
    value: (r, lang) => labelOf(DAY_TYPE_LABELS, r.dayType, lang),
  },
  {
    key: 'speakers',
    header: { zh: '喇叭数', en: 'speakers' },
    unit: 'speakers',
    value: onDay('speakers'),
  },
  ...countColumns<Summary['days'][number]>().map(
    (c): ReportColumn<SummaryRow> => ({ ...c, value: onDay(c.key as keyof Counts) }),
  ),
  {
    key: 'playedPerSpeaker',
    header: { zh: '每喇叭已播', en: 'playedPerSpeaker' },
    unit: 'segmentsPerSpeaker',
    value: onDay('playedPerSpeaker'),
  },
  {
    key: 'speakerDays',
    header: { zh: '喇叭·日数', en: 'speakerDays' },
    unit: 'speakerDays',
    value: onAverage('speakerDays'),
  },
  {
    key: 'avgScheduledPerSpeaker',
    header: { zh: '平均每喇叭计划', en: 'avgScheduledPerSpeaker' },
    unit: 'segmentsPerSpeaker',
    value: onAverage('avgScheduledPerSpeaker'),
  },
  {
    key: 'avgPlayedPerSpeaker',
    header: { zh: '平均每喇叭已播', en: 'avgPlayedPerSpeaker' },
    unit: 'segmentsPerSpeaker',
    value: onAverage('avgPlayedPerSpeaker'),
  },
]

/** The summary's rows: each date, then the working-day and rest-day averages. */
export function summaryRows(s: Summary): SummaryRow[] {
  return [
    ...s.days,
    ...(['working', 'rest'] as const).map(
      (dayType): SummaryRow => ({
        average: true,
        dayType,
        speakerDays: s[dayType].speakerDays,
        avgScheduledPerSpeaker: s[dayType].avgScheduledPerSpeaker,
        avgPlayedPerSpeaker: s[dayType].avgPlayedPerSpeaker,
      }),
    ),
  ]
}

/** A table's header row and value rows in one language. */
export function tableOf<Row>(
  columns: readonly ReportColumn<Row>[],
  rows: readonly Row[],
  lang: Lang,
): { header: string[]; rows: Cell[][] } {
  return {
    header: columns.map((c) => c.header[lang]),
    rows: rows.map((r) => columns.map((c) => c.value(r, lang))),
  }
}
