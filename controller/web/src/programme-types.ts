import type { DeviationStats, SegmentDeviation } from './types.js'

// Hand-written mirrors of the programme API's JSON (docs/api.md; issue 3). The UI imports no
// server file (STYLE section 3).

/** Working day or rest day. */
export type DayType = 'working' | 'rest'

/** A column (栏目). */
export interface Column {
  id: string
  name: string
  colour: string
  defaultPriority: number
  /** Missed segments are replayed later (补播). */
  makeGood?: boolean
  /** Make-good window after the segment's instant, minutes. */
  makeGoodWindowMin?: number
  /** Weather, warnings…: never made good. */
  timeBound?: boolean
  createdAt: string
  updatedAt: string
}

/** A recording of the audio library. */
export interface Recording {
  id: string
  sha256: string
  title: string
  originalName: string | null
  durationMs: number
  sizeBytes: number
  sourceCodec: string | null
  loudnessBefore: number | null
  loudnessAfter: number | null
  silent: boolean
  createdAt: string
  columnId: string | null
  uploadedBy: string | null
  updatedAt: string | null
  /** Set by an upload that was already stored. */
  duplicate?: boolean
}

/** Where the current or future programme uses a recording (AUDIO_IN_USE details). */
export interface AudioUsage {
  templates: DayType[]
  dates: string[]
  announcements: { id: string; title: string; date: string }[]
}

/** GET /api/audio filters. */
export interface AudioQuery {
  q?: string
  /** A column id, or 'none'. */
  column?: string
  silent?: boolean
  limit?: number
}

/** One segment of a running order. */
export interface OrderItem {
  id: string
  start: string
  /** null: an empty slot. */
  audioId: string | null
  /** '': the recording's title is shown. */
  title: string
  columnId?: string | null
  /** Target zones; empty or absent: the district. */
  zones?: string[]
  /** 0–60; absent: the column's default. */
  priority?: number
}

/** A validation finding, translated by `code` and `params`. */
export interface Issue {
  code: 'OVERLAP' | 'QUIET_HOURS' | 'MISSING_AUDIO' | 'PAST_MIDNIGHT' | string
  severity: 'error' | 'warning' | string
  itemId?: string
  message: string
  params?: Record<string, string | number>
}

/** GET /api/templates/:dayType. */
export interface Template {
  dayType: DayType
  items: OrderItem[]
  targetCount: number
  updatedAt: string | null
  issues: Issue[]
}

/** A date's day type and where it comes from. */
export interface DayTypeInfo {
  type: DayType
  source: 'override' | 'official' | 'weekday'
  holidayName?: string
  holidayNameZh?: string
}

/** How a date's own order relates to its template. */
export type DayMode = 'replace' | 'add'

/** GET /api/days/:date. */
export interface DayOrder {
  date: string
  mode: DayMode
  items: OrderItem[]
  updatedAt: string | null
  hasOwnOrder: boolean
  drill: boolean
  dayType: DayTypeInfo
  targetCount: number
  effective: (OrderItem & { origin: 'template' | 'date' })[]
  issues: Issue[]
}

/** One date of GET /api/calendar. */
export interface CalendarDay {
  date: string
  type: DayType
  source: 'override' | 'official' | 'weekday'
  holidayName?: string
  holidayNameZh?: string
  note: string | null
  hasOwnOrder: boolean
  mode: DayMode | null
  drill: boolean
  segmentCount: number
  slotCount: number
  targetCount: number
  announcementCount: number
}

/** The `programme` stream event: what changed, to refetch. */
export interface ProgrammeChange {
  what: 'template' | 'day' | 'calendar' | 'column' | string
  dates: string[]
}

/** An announcement's level. */
export type AnnouncementLevel = 'urgent' | 'emergency'

/** What a node did with an announcement or a segment. */
export interface PlayOutcome {
  status: 'played' | 'silent' | 'interrupted' | 'failed' | 'playing' | string
  reason: string | null
  playedMs: number
  rmsDb: number | null
  startedAt: string | null
  interrupted: boolean
  drill: boolean
}

/** One targeted node of an announcement. */
export interface AnnouncementNode {
  nodeId: string
  name: string
  zoneId: string
  online: boolean
  isTest: boolean
  sentAt: string | null
  acknowledgedAt: string | null
  delivery: 'acknowledged' | 'pending'
  play: PlayOutcome | null
}

/** GET /api/announcements/:id. */
export interface Announcement {
  id: string
  title: string
  audioId: string
  zones: string[]
  level: AnnouncementLevel
  priority: number
  at: string
  date: string
  latestStartAt: string
  drill: boolean
  createdBy: string | null
  createdAt: string
  cancelledAt: string | null
  status: 'scheduled' | 'delivering' | 'delivered' | 'cancelled'
  counts: {
    targeted: number
    acknowledged: number
    pending: number
    pendingOnline: number
    played: number
    failed: number
    interrupted: number
  }
  nodes: AnnouncementNode[]
}

/** Body of POST /api/announcements (JSON). */
export interface AnnouncementRequest {
  audioId: string
  title?: string
  zones?: string[]
  at?: string
  priority: AnnouncementLevel
  drill?: boolean
}

/** GET /api/plans/status. */
export interface PlanStatus {
  generatedAt: string
  overall: { current: number; total: number }
  dates: { date: string; current: number; total: number }[]
  outdated: {
    nodeId: string
    name: string
    online: boolean
    appliedVersion: string | null
    currentVersion: string | null
  }[]
}

/** GET /api/readiness. */
export interface Readiness {
  date: string
  ready: number
  total: number
  notReady: {
    nodeId: string
    name: string
    zoneId: string
    online: boolean
    reason: 'missing' | 'outdatedPlan' | 'noReport' | string
    missing: { itemId: string; title: string; audioId: string }[]
  }[]
}

/** Outcome counts of a report. */
export interface Counts {
  scheduled: number
  played: number
  /** Missed at the instant, played later (补播); never counted as played. */
  madeGood: number
  silent: number
  interrupted: number
  failed: number
  missed: number
  pending: number
  reasons: Record<string, number>
}

/** One item of a node's day report. */
export interface ItemReport {
  itemId: string
  title: string
  columnId: string | null
  kind: 'segment' | 'announcement'
  scheduledAt: string
  status:
    | 'played'
    | 'madeGood'
    | 'silent'
    | 'interrupted'
    | 'failed'
    | 'playing'
    | 'missed'
    | 'pending'
    | string
  reason: string | null
  playedMs: number
  rmsDb: number | null
  startedAt: string | null
  interrupted: boolean
  drill: boolean
  /** Made good (补播): when the make-good began. */
  makeGoodAt?: string | null
}

/** One node of a day report. */
export interface NodeReport extends Counts {
  nodeId: string
  name: string
  zoneId: string
  zoneName: string
  isTest: boolean
  online: boolean
  /** The node's start deviations of the date. */
  deviation?: DeviationStats | null
  items: ItemReport[]
}

/** GET /api/reports/day. */
export interface DayReport {
  date: string
  dayType: DayType
  speakers: number
  totals: Counts
  drill: Counts
  byZone: (Counts & { zoneId: string; name: string; nodes: number })[]
  byColumn: (Counts & { columnId: string | null; name: string | null })[]
  nodes: NodeReport[]
  /** The fleet's start deviations of the date, and per segment. */
  deviation?: { fleet: DeviationStats | null; segments: SegmentDeviation[] }
}

/** The district figure for one day type. */
export interface DayTypeFigures {
  days: number
  speakerDays: number
  scheduled: number
  played: number
  avgScheduledPerSpeaker: number
  avgPlayedPerSpeaker: number
}

/** One day of the summary series. */
export interface SummaryDay extends Counts {
  date: string
  dayType: DayType
  speakers: number
  playedPerSpeaker: number
}

/** GET /api/reports/summary. */
export interface Summary {
  from: string
  to: string
  working: DayTypeFigures
  rest: DayTypeFigures
  totals: Counts
  days: SummaryDay[]
}
