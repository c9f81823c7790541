import { addDays, copyPairs, type Day, weekOf } from './orders'

// Pure logic of dragging a whole week onto another (issue 11): the weeks a week can be dropped
// on, the copy pairs, how many target days already hold their own order (the confirmation says
// they will be overwritten) and the span's words. No DOM here (week-copy.test.ts).

/** The MIME type a dragged week carries (a dragged day carries none, so it is not a week). */
export const WEEK_DRAG_TYPE = 'application/x-chorus-week'

/** The Monday of the week holding `date`. */
export const mondayOf = (date: string): string => weekOf(date)[0] as string

/** The Mondays of the `count` weeks after the one starting `monday`. */
export function comingWeeks(monday: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(mondayOf(monday), 7 * (i + 1)))
}

/**
 * The POST /api/days/copy pairs of the week holding `from` dropped on the week holding `to`:
 * each weekday onto the same weekday (none onto itself).
 */
export function weekCopyPairs(from: string, to: string): { from: string; to: string }[] {
  return copyPairs(weekOf(from), mondayOf(to))
}

/** How many of a week's days hold their own order, which a copy overwrites. */
export const ownDays = (days: readonly Pick<Day, 'hasOwnOrder'>[]): number =>
  days.filter((d) => d.hasOwnOrder).length

/** Month and day of the first and last date of the week holding `date` (for "12月7日–12月13日"). */
export function weekSpan(date: string): { m1: number; d1: number; m2: number; d2: number } {
  const week = weekOf(date)
  const md = (d: string) => [Number(d.slice(5, 7)), Number(d.slice(8, 10))] as const
  const [m1, d1] = md(week[0] as string)
  const [m2, d2] = md(week[6] as string)
  return { m1, d1, m2, d2 }
}
