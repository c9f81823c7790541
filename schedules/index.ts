/**
 * @module schedules
 * Public surface of `schedules/`: calendar, running orders, plan resolution, day validation and
 * time-zone arithmetic. Other folders import from here, never from the files behind it.
 */
export {
  type DayType,
  type DayTypeInfo,
  type DayTypeSource,
  dayType,
  type ImportedCalendar,
  isKnownYear,
  isOfficialYear,
  missingNoticeYear,
  officialYears,
} from './calendar.js'
export { DEFAULT_TEMPLATE_TIMES, defaultTemplate, itemIdForStart } from './default-templates.js'
export {
  type NoticeHoliday,
  NoticeParseError,
  noticeDays,
  noticeYear,
  type OfficialDay,
  type ParsedNotice,
  parseHolidayNotice,
} from './holiday-notice.js'
export { type MakeGoodPolicy, makeGoodUntil } from './make-good.js'
export { PLAN_HORIZON_DAYS, planDates } from './plan-dates.js'
export { planDayDigests, planVersionOf } from './plan-version.js'
export {
  ANNOUNCEMENT_PRIORITY,
  type AnnouncementLevel,
  LIVE_PRIORITY,
  SEGMENT_PRIORITY_MAX,
} from './priority.js'
export {
  RELAY_SCHEMES,
  RELAY_URL_PATTERN,
  type ResolvedRelay,
  relayDurationMs,
  relayItemProblems,
  relayUrlProblem,
  resolveRelays,
} from './relay.js'
export {
  type AnnouncementInput,
  type Audience,
  comparePlanItems,
  type DayOrder,
  itemsForDate,
  type PlanAudio,
  type PlanInputs,
  type PlanItem,
  type PlanNode,
  planForNode,
  type ResolvedItem,
  reachesNode,
  reachesPlanNode,
  resolveDates,
  resolvePlan,
  type ZoneDayTypes,
  type ZoneOrders,
} from './resolve-plan.js'
export {
  type DayPlan,
  type DayPlanMode,
  DayPlanModeSchema,
  DayPlanSchema,
  DEFAULT_PRIORITY,
  DEFAULT_SEGMENTS,
  type Relay,
  RelaySchema,
  type RunningOrder,
  type RunningOrderItem,
  RunningOrderItemSchema,
  RunningOrderSchema,
  TIME_PATTERN,
} from './running-order.js'
export {
  DEFAULT_QUIET_HOURS,
  type Issue,
  type IssueCode,
  type QuietHours,
  type ValidateDayOptions,
  validateDay,
} from './validate-day.js'
export {
  dayTypeFor,
  orderSourceFor,
  recordedDayType,
  zoneDayTypesOn,
} from './zone-orders.js'
export {
  addDays,
  createZonedTime,
  DAY_MS,
  instantToLocalDate,
  instantToLocalTime,
  isValidDate,
  isValidTime,
  isValidTimeZone,
  localDateTimeToInstant,
  weekday,
  type ZonedTime,
} from './zoned-time.js'
