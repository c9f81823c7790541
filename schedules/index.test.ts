import { describe, expect, it } from 'vitest'
import * as schedules from './index.js'

describe('schedules public surface', () => {
  it('exports exactly the functions, schemas and constants other folders may use', () => {
    const kinds = Object.fromEntries(Object.entries(schedules).map(([k, v]) => [k, typeof v]))
    expect(kinds).toEqual({
      addDays: 'function',
      ANNOUNCEMENT_PRIORITY: 'object',
      comparePlanItems: 'function',
      createZonedTime: 'function',
      DAY_MS: 'number',
      DayPlanModeSchema: 'object',
      DayPlanSchema: 'object',
      dayType: 'function',
      dayTypeFor: 'function',
      DEFAULT_PRIORITY: 'number',
      DEFAULT_QUIET_HOURS: 'object',
      DEFAULT_SEGMENTS: 'object',
      DEFAULT_TEMPLATE_TIMES: 'object',
      defaultTemplate: 'function',
      instantToLocalDate: 'function',
      instantToLocalTime: 'function',
      isKnownYear: 'function',
      isOfficialYear: 'function',
      missingNoticeYear: 'function',
      NoticeParseError: 'function',
      noticeDays: 'function',
      noticeYear: 'function',
      parseHolidayNotice: 'function',
      isValidDate: 'function',
      isValidTime: 'function',
      isValidTimeZone: 'function',
      itemIdForStart: 'function',
      itemsForDate: 'function',
      localDateTimeToInstant: 'function',
      makeGoodUntil: 'function',
      officialYears: 'function',
      orderSourceFor: 'function',
      PLAN_HORIZON_DAYS: 'number',
      planDates: 'function',
      planDayDigests: 'function',
      planForNode: 'function',
      planVersionOf: 'function',
      LIVE_PRIORITY: 'object',
      RELAY_SCHEMES: 'object',
      RELAY_URL_PATTERN: 'string',
      RelaySchema: 'object',
      reachesNode: 'function',
      recordedDayType: 'function',
      reachesPlanNode: 'function',
      resolveDates: 'function',
      resolvePlan: 'function',
      resolveRelays: 'function',
      relayDurationMs: 'function',
      relayItemProblems: 'function',
      relayUrlProblem: 'function',
      RunningOrderItemSchema: 'object',
      RunningOrderSchema: 'object',
      SEGMENT_PRIORITY_MAX: 'number',
      TIME_PATTERN: 'string',
      validateDay: 'function',
      weekday: 'function',
      zoneDayTypesOn: 'function',
    })
  })

  it('keeps the documented defaults', () => {
    expect(schedules.DEFAULT_SEGMENTS).toEqual({ working: 15, rest: 10 })
    expect(schedules.DEFAULT_QUIET_HOURS).toEqual({ start: '22:00', end: '06:30' })
    expect(schedules.PLAN_HORIZON_DAYS).toBe(7)
  })
})
