/**
 * @module holiday-notice
 * Reads the State Council's annual notice on public holidays (国务院办公厅关于 XXXX 年部分节假日
 * 安排的通知) as the office pastes it, and returns every holiday range and make-up working day
 * (调休上班). The notice has looked the same for twenty years: one numbered line per holiday,
 *
 *   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
 *   2月14日（周六）、2月28日（周六）上班。
 *
 * with the year taken from the title or given by the caller, dates that may carry their own year
 * when a range crosses New Year ("2022年12月31日至2023年1月2日"), and remarks in brackets
 * (weekdays, lunar dates, "除夕（2月9日）休息") that are not part of the arrangement.
 *
 * Pure: no I/O. A line that names a holiday but cannot be read is an error, never skipped.
 */
import { addDays, isValidDate } from './zoned-time.js'

/** One holiday of the notice with the dates it gives. */
export interface NoticeHoliday {
  /** The holiday's name as the notice writes it, e.g. '春节' or '中秋节、国庆节'. */
  nameZh: string
  /** English name(s), from the known holidays; the Chinese name when unknown. */
  name: string
  /** First and last rest day, 'YYYY-MM-DD'. */
  start: string
  end: string
  /** Every rest date of the range. */
  restDays: string[]
  /** Make-up working days (调休上班) of this holiday. */
  workDays: string[]
  /** The "共N天" the notice states, when it does. */
  statedDays: number | null
}

/** What a notice says: the year, its holidays, and lines that were not understood. */
export interface ParsedNotice {
  year: number
  holidays: NoticeHoliday[]
  /** Readable problems (a stated count that does not match the range, a repeated date). */
  warnings: string[]
}

/** A line of the notice that could not be read; `line` is 1-based in the pasted text. */
export class NoticeParseError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`)
    this.name = 'NoticeParseError'
  }
}

const ENGLISH: Readonly<Record<string, string>> = {
  元旦: "New Year's Day",
  春节: 'Spring Festival',
  清明节: 'Tomb-sweeping Day',
  清明: 'Tomb-sweeping Day',
  劳动节: 'Labour Day',
  端午节: 'Dragon Boat Festival',
  端午: 'Dragon Boat Festival',
  中秋节: 'Mid-autumn Festival',
  中秋: 'Mid-autumn Festival',
  国庆节: 'National Day',
}

const NUMERAL = '[一二三四五六七八九十]+'
const HOLIDAY_LINE = new RegExp(`^(?:${NUMERAL}、|\\d+[.、．])\\s*([^：:]{1,20})[：:](.*)$`)
// A date with optional year and month: "2023年1月2日", "1月2日", "2日".
const DATE = '(?:(\\d{4})年)?(?:(\\d{1,2})月)?(\\d{1,2})日'
const REST_RANGE = new RegExp(`${DATE}(?:\\s*[至到-]\\s*${DATE})?\\s*放假`)
const WORK_DATES = new RegExp(`((?:${DATE}[、，,和及\\s]*)+)(?:上班|补班)`, 'g')

/** Folds full-width digits and punctuation, and drops bracketed remarks. */
function normalise(text: string): string {
  return text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/（[^）]*）|\([^)]*\)/g, '')
    .replace(/\u3000/g, ' ')
}

/** The notice's year from its title ("2027年部分节假日安排", "2027年元旦、春节…"). */
export function noticeYear(text: string): number | null {
  const m = normalise(text).match(/(\d{4})\s*年\s*(?:部分节假日|元旦)/)
  return m ? Number(m[1]) : null
}

interface DatePart {
  year: string | undefined
  month: string | undefined
  day: string
}

function toDate(part: DatePart, fallback: { year: number; month: number }, line: number): string {
  const year = part.year === undefined ? fallback.year : Number(part.year)
  const month = part.month === undefined ? fallback.month : Number(part.month)
  const date = `${year}-${String(month).padStart(2, '0')}-${String(Number(part.day)).padStart(2, '0')}`
  if (!isValidDate(date)) throw new NoticeParseError(`not a date: ${date}`, line)
  return date
}

function englishOf(nameZh: string): string {
  const names = nameZh.split(/[、，,和]/).map((n) => n.trim())
  return names.map((n) => ENGLISH[n] ?? n).join(' / ')
}

function parseLine(nameZh: string, body: string, year: number, line: number): NoticeHoliday {
  const rest = body.match(REST_RANGE)
  if (!rest) throw new NoticeParseError(`no rest dates found for ${nameZh}`, line)
  const [, y1, m1, d1, y2, m2, d2] = rest
  if (m1 === undefined) throw new NoticeParseError(`the first date of ${nameZh} has no month`, line)
  const start = toDate({ year: y1, month: m1, day: d1 as string }, { year, month: 1 }, line)
  const startYear = Number(start.slice(0, 4))
  const startMonth = Number(start.slice(5, 7))
  const end =
    d2 === undefined
      ? start
      : toDate(
          { year: y2, month: m2, day: d2 },
          { year: y2 === undefined ? startYear : Number(y2), month: startMonth },
          line,
        )
  if (end < start) throw new NoticeParseError(`${nameZh} ends before it starts`, line)
  const restDays: string[] = []
  for (let d = start; d <= end; d = addDays(d, 1)) restDays.push(d)
  if (restDays.length > 31) throw new NoticeParseError(`${nameZh} is longer than a month`, line)

  const after = body.slice((rest.index ?? 0) + rest[0].length)
  const workDays: string[] = []
  for (const m of after.matchAll(WORK_DATES)) {
    let month = startMonth
    for (const d of (m[1] as string).matchAll(new RegExp(DATE, 'g'))) {
      if (d[2] !== undefined) month = Number(d[2])
      const date = toDate(
        { year: d[1], month: d[2], day: d[3] as string },
        { year: d[1] === undefined ? year : Number(d[1]), month },
        line,
      )
      workDays.push(date)
    }
  }
  const stated = body.match(/共\s*(\d+)\s*天/) ?? body.match(/放假\s*(\d+)\s*天/)
  return {
    nameZh,
    name: englishOf(nameZh),
    start,
    end,
    restDays,
    workDays,
    statedDays: stated ? Number(stated[1]) : null,
  }
}

/**
 * Parses a pasted notice. `year` is the notice's year when the title is not pasted; otherwise it
 * is read from the title. Throws `NoticeParseError` when no holiday line is found, a holiday line
 * cannot be read, or the year is unknown.
 */
export function parseHolidayNotice(text: string, year?: number): ParsedNotice {
  const found = year ?? noticeYear(text)
  if (found === null || !Number.isInteger(found) || found < 2000 || found > 2200) {
    throw new NoticeParseError('the notice year is unknown: paste the title or give the year', null)
  }
  const holidays: NoticeHoliday[] = []
  const warnings: string[] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    const m = normalise(raw).trim().match(HOLIDAY_LINE)
    if (!m) return
    const [, name, body] = m
    // Numbered lines after the holidays ("各地区、各部门要…") carry no rest dates and no 放假.
    if (!(body as string).includes('放假')) return
    holidays.push(parseLine((name as string).trim(), body as string, found, i + 1))
  })
  if (holidays.length === 0) {
    throw new NoticeParseError('no holiday line found (lines look like "二、春节：…放假…")', null)
  }
  const seen = new Map<string, string>()
  for (const h of holidays) {
    if (h.statedDays !== null && h.statedDays !== h.restDays.length) {
      warnings.push(
        `${h.nameZh}: the notice says ${h.statedDays} days, the dates give ${h.restDays.length}`,
      )
    }
    for (const d of [...h.restDays, ...h.workDays]) {
      const other = seen.get(d)
      if (other !== undefined) warnings.push(`${d} appears under both ${other} and ${h.nameZh}`)
      seen.set(d, h.nameZh)
    }
  }
  return { year: found, holidays, warnings }
}

/** One dated entry of an official arrangement: a rest day of a holiday or a make-up working day. */
export interface OfficialDay {
  date: string
  type: 'rest' | 'working'
  nameZh: string
  name: string
}

/** The notice as a list of dated entries, sorted by date. */
export function noticeDays(notice: ParsedNotice): OfficialDay[] {
  const out: OfficialDay[] = []
  for (const h of notice.holidays) {
    for (const date of h.restDays) out.push({ date, type: 'rest', nameZh: h.nameZh, name: h.name })
    for (const date of h.workDays) {
      out.push({ date, type: 'working', nameZh: h.nameZh, name: h.name })
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date))
}
