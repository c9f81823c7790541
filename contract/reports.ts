/**
 * @module contract/reports
 * HTTP contract of proof of play: play events, the day and summary reports (JSON or CSV) and
 * start deviations.
 */
import { type Static, Type } from 'typebox'
import { DateString } from './common.js'

/** A live session a node sounded (issue 13): what its title is made of. */
export const LivePlaySchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('voice'), Type.Literal('relay')]),
    sessionId: Type.String(),
    by: Type.Union([Type.String(), Type.Null()], {
      description: "Who spoke (the user's name); null for a running-order relay",
    }),
    openedAt: Type.String(),
    host: Type.Union([Type.String(), Type.Null()], { description: "A relay's source host" }),
  },
  { description: 'Set on plays of live sessions (item `live:<sessionId>`)' },
)

/** One play-related event as reported by a node. */
export const PlaySchema = Type.Object({
  nodeId: Type.String(),
  eventId: Type.String(),
  itemId: Type.Union([Type.String(), Type.Null()]),
  type: Type.String(),
  at: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  scheduledAt: Type.Optional(Type.String()),
  deviationMs: Type.Optional(Type.Number()),
  playedMs: Type.Optional(Type.Number()),
  rmsDb: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  peakDb: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  error: Type.Optional(Type.String()),
  /** play.interrupted: the item that took over. */
  byItemId: Type.Optional(Type.String()),
  /** A segment resumed after an announcement: where in the audio it joined. */
  offsetMs: Type.Optional(Type.Number()),
  /** A drill item (played only on test nodes). */
  drill: Type.Optional(Type.Boolean()),
  makeGood: Type.Optional(Type.Boolean({ description: 'A make-good (补播)' })),
  title: Type.Optional(
    Type.String({
      description:
        "The item's title, else its recording's; a live session's: 喊话 · <user> · HH:MM, 转播 · <host>",
    }),
  ),
  live: Type.Optional(LivePlaySchema),
  nodeName: Type.Optional(Type.String({ description: "GET /api/plays: the node's name" })),
})

/** Most play events GET /api/plays returns without paging parameters (the old web UI's call). */
export const UNPAGED_PLAYS_MAX = 5000
/** Largest page of GET /api/plays. */
export const PLAYS_PAGE_MAX = 500

/** Query of GET /api/plays. */
export const PlaysQuerySchema = Type.Object(
  {
    date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    node: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    zone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'zone id; zones under it too' }),
    ),
    outcome: Type.Optional(
      Type.String({ pattern: '^[a-z][a-z-]{0,30}$', description: 'started, finished, failed…' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PLAYS_PAGE_MAX, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  },
  { additionalProperties: false },
)

/** A page of GET /api/plays. */
export const PlaysPageSchema = Type.Object({
  items: Type.Array(PlaySchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
})

const counts = {
  scheduled: Type.Integer(),
  played: Type.Integer({ description: 'Played at its instant' }),
  madeGood: Type.Integer({ description: 'Missed at its instant, played later (补播)' }),
  silent: Type.Integer(),
  interrupted: Type.Integer(),
  failed: Type.Integer(),
  missed: Type.Integer(),
  pending: Type.Integer(),
  reasons: Type.Record(Type.String(), Type.Integer()),
}

/** Counts of outcomes. */
export const TotalsSchema = Type.Object(counts)

const ItemReportSchema = Type.Object({
  itemId: Type.String(),
  title: Type.String(),
  columnId: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Union([Type.Literal('segment'), Type.Literal('announcement'), Type.Literal('live')]),
  scheduledAt: Type.String(),
  live: Type.Optional(LivePlaySchema),
  status: Type.String({
    description: 'played | madeGood | silent | interrupted | failed | playing | missed | pending',
  }),
  reason: Type.Union([Type.String(), Type.Null()]),
  playedMs: Type.Number(),
  rmsDb: Type.Union([Type.Number(), Type.Null()]),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  interrupted: Type.Boolean(),
  drill: Type.Boolean(),
  makeGoodAt: Type.Union([Type.String(), Type.Null()], {
    description: 'Made good (补播): when the make-good began',
  }),
})

const StatsFields = {
  count: Type.Integer(),
  p50: Type.Number(),
  p95: Type.Number(),
  p99: Type.Number(),
  max: Type.Number(),
}

/** Absolute start deviations in ms (nearest-rank percentiles), null without on-time starts. */
const StatsSchema = Type.Union([Type.Object(StatsFields), Type.Null()], {
  description: 'Absolute start deviation, ms: count, p50, p95, p99, max',
})

const SegmentDeviationSchema = Type.Object({
  itemId: Type.String(),
  title: Type.String(),
  scheduledAt: Type.Union([Type.String(), Type.Null()]),
  ...StatsFields,
})

/** GET /api/reports/deviation. */
export const DeviationReportSchema = Type.Object({
  date: Type.String(),
  fleet: StatsSchema,
  segments: Type.Array(SegmentDeviationSchema),
  /** The five segments with the highest p95. */
  worst: Type.Array(SegmentDeviationSchema),
  nodes: Type.Array(Type.Object({ nodeId: Type.String(), ...StatsFields })),
})

/** GET /api/reports/day. */
const ReportDayType = Type.Union([Type.Literal('working'), Type.Literal('rest')])

export const DayReportSchema = Type.Object({
  date: Type.String(),
  /** The district's; for a user limited to zones, their zones' when those agree. */
  dayType: ReportDayType,
  speakers: Type.Integer(),
  totals: TotalsSchema,
  drill: TotalsSchema,
  byZone: Type.Array(
    Type.Object({ zoneId: Type.String(), name: Type.String(), nodes: Type.Integer(), ...counts }),
  ),
  byColumn: Type.Array(
    Type.Object({
      columnId: Type.Union([Type.String(), Type.Null()]),
      name: Type.Union([Type.String(), Type.Null()]),
      ...counts,
    }),
  ),
  nodes: Type.Array(
    Type.Object({
      nodeId: Type.String(),
      name: Type.String(),
      zoneId: Type.String(),
      zoneName: Type.String(),
      /** The node's own: its nearest zone's calendar override, else the district's. */
      dayType: ReportDayType,
      isTest: Type.Boolean(),
      online: Type.Boolean(),
      ...counts,
      deviation: StatsSchema,
      items: Type.Array(ItemReportSchema),
    }),
  ),
  deviation: Type.Object({
    fleet: StatsSchema,
    segments: Type.Array(SegmentDeviationSchema),
  }),
})

const DayTypeFiguresSchema = Type.Object({
  days: Type.Integer(),
  speakerDays: Type.Integer(),
  scheduled: Type.Integer(),
  played: Type.Integer(),
  avgScheduledPerSpeaker: Type.Number(),
  avgPlayedPerSpeaker: Type.Number(),
})

/** GET /api/reports/summary. */
export const SummarySchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  working: DayTypeFiguresSchema,
  rest: DayTypeFiguresSchema,
  totals: TotalsSchema,
  days: Type.Array(
    Type.Object({
      date: Type.String(),
      dayType: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
      speakers: Type.Integer(),
      ...counts,
      playedPerSpeaker: Type.Number(),
    }),
  ),
})

const Format = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')]))
const Lang = Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')]))

/** Query of GET /api/reports/day. */
export const DayQuerySchema = Type.Object(
  { date: DateString, format: Format, lang: Lang },
  { additionalProperties: false },
)

/** Query of GET /api/reports/deviation (date default: today). */
export const DeviationQuerySchema = Type.Object(
  { date: Type.Optional(DateString) },
  { additionalProperties: false },
)

/** Query of GET /api/reports/summary. */
export const SummaryQuerySchema = Type.Object(
  { from: DateString, to: DateString, format: Format, lang: Lang },
  { additionalProperties: false },
)

const Csv = Type.String({
  description: 'text/csv with format=csv (Chinese headers unless lang=en)',
})

/** GET /api/reports/day: the report as JSON, or as CSV with `format=csv`. */
export const DayReportAnswerSchema = Type.Union([DayReportSchema, Csv])

/** GET /api/reports/summary: the summary as JSON, or as CSV with `format=csv`. */
export const SummaryAnswerSchema = Type.Union([SummarySchema, Csv])

/** One play event. */
export type LivePlay = Static<typeof LivePlaySchema>

export type Play = Static<typeof PlaySchema>
/** A page of GET /api/plays. */
export type PlaysPage = Static<typeof PlaysPageSchema>
/** Query of GET /api/plays. */
export type PlaysQuery = Static<typeof PlaysQuerySchema>
/** Counts of outcomes. */
export type Totals = Static<typeof TotalsSchema>
/** The day report. */
export type DayReport = Static<typeof DayReportSchema>
/** The summary report. */
export type Summary = Static<typeof SummarySchema>
/** The deviation report. */
export type DeviationReport = Static<typeof DeviationReportSchema>
