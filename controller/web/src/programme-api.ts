import { request, sendForm, type Upload } from './api.js'
import type {
  Announcement,
  AnnouncementRequest,
  AudioQuery,
  AudioUsage,
  CalendarDay,
  Column,
  DayMode,
  DayOrder,
  DayReport,
  DayType,
  OrderItem,
  PlanStatus,
  Readiness,
  Recording,
  Summary,
  Template,
} from './programme-types.js'

// The programme API (docs/api.md) as the scheduling pages use it. Every call goes through
// api.ts's `request` / `sendForm`, so authentication is added in one place.

const enc = encodeURIComponent
const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal })
const send = <T>(method: string, path: string, body?: unknown) =>
  request<T>(method, path, body === undefined ? {} : { body })

/** An item as an editor sends it: `id` kept so plan item ids and reports stay the same. */
export type ItemInput = Omit<OrderItem, 'title'> & { title?: string }

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** The scheduling endpoints. */
export const programmeApi = {
  columns: (signal?: AbortSignal) => get<Column[]>('api/columns', signal),
  createColumn: (body: { name: string; colour: string; defaultPriority?: number }) =>
    send<Column>('POST', 'api/columns', body),
  patchColumn: (
    id: string,
    body: Partial<
      Pick<
        Column,
        'name' | 'colour' | 'defaultPriority' | 'makeGood' | 'makeGoodWindowMin' | 'timeBound'
      >
    >,
  ) => send<Column>('PATCH', `api/columns/${enc(id)}`, body),
  deleteColumn: (id: string) => send<null>('DELETE', `api/columns/${enc(id)}`),

  audio: (q: AudioQuery = {}, signal?: AbortSignal) =>
    get<Recording[]>(`api/audio${query({ ...q })}`, signal),
  audioOne: (id: string, signal?: AbortSignal) => get<Recording>(`api/audio/${enc(id)}`, signal),
  usage: (id: string, signal?: AbortSignal) =>
    get<AudioUsage>(`api/audio/${enc(id)}/usage`, signal),
  patchAudio: (id: string, body: { title?: string; columnId?: string | null }) =>
    send<Recording>('PATCH', `api/audio/${enc(id)}`, body),
  deleteAudio: (id: string) => send<null>('DELETE', `api/audio/${enc(id)}`),
  /** Multipart: `file`, `title`, `column` (the server records the logged-in user as uploader). */
  upload: (form: FormData, onProgress?: (sent: number, total: number) => void): Upload<Recording> =>
    sendForm<Recording>('api/audio', form, onProgress),
  /** The delivered file, for an `<audio>` preview. */
  fileUrl: (sha256: string) => `api/audio/files/${enc(sha256)}`,

  template: (dayType: DayType, signal?: AbortSignal) =>
    get<Template>(`api/templates/${dayType}`, signal),
  templates: (signal?: AbortSignal) => get<Template[]>('api/templates', signal),
  putTemplate: (dayType: DayType, body: { items: ItemInput[]; targetCount?: number }) =>
    send<Template>('PUT', `api/templates/${dayType}`, body),

  day: (date: string, signal?: AbortSignal) => get<DayOrder>(`api/days/${enc(date)}`, signal),
  putDay: (date: string, body: { items: ItemInput[]; mode: DayMode; drill: boolean }) =>
    send<DayOrder>('PUT', `api/days/${enc(date)}`, body),
  deleteDay: (date: string) => send<DayOrder>('DELETE', `api/days/${enc(date)}`),

  calendar: (month: string, signal?: AbortSignal) =>
    get<{ month: string; days: CalendarDay[] }>(`api/calendar?month=${enc(month)}`, signal),
  setDayType: (date: string, body: { type: DayType; note?: string | null }) =>
    send<CalendarDay>('PUT', `api/calendar/${enc(date)}`, body),
  clearDayType: (date: string) => send<CalendarDay>('DELETE', `api/calendar/${enc(date)}`),

  announcements: (signal?: AbortSignal) => get<Announcement[]>('api/announcements', signal),
  announcement: (id: string, signal?: AbortSignal) =>
    get<Announcement>(`api/announcements/${enc(id)}`, signal),
  announce: (body: AnnouncementRequest) => send<Announcement>('POST', 'api/announcements', body),
  /** Multipart: a fresh recording (`file`) and the same fields as strings. */
  announceWithFile: (form: FormData, onProgress?: (sent: number, total: number) => void) =>
    sendForm<Announcement>('api/announcements', form, onProgress),
  cancelAnnouncement: (id: string) =>
    send<Announcement>('POST', `api/announcements/${enc(id)}/cancel`, {}),

  planStatus: (signal?: AbortSignal) => get<PlanStatus>('api/plans/status', signal),
  readiness: (date?: string, signal?: AbortSignal) =>
    get<Readiness>(`api/readiness${query({ date })}`, signal),

  dayReport: (date: string, signal?: AbortSignal) =>
    get<DayReport>(`api/reports/day?date=${enc(date)}`, signal),
  summary: (from: string, to: string, signal?: AbortSignal) =>
    get<Summary>(`api/reports/summary${query({ from, to })}`, signal),
  /** CSV download links (the browser sends the session cookie with them). */
  dayCsvUrl: (date: string, lang: string) =>
    `api/reports/day${query({ date, format: 'csv', lang })}`,
  summaryCsvUrl: (from: string, to: string, lang: string) =>
    `api/reports/summary${query({ from, to, format: 'csv', lang })}`,
}

/** The programme API, so a view can be given another one. */
export type ProgrammeApi = typeof programmeApi
