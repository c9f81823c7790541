import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import {
  DEFAULT_PRIORITY,
  instantToLocalDate,
  type RunningOrderItem,
} from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { ColumnRecord } from './repositories/columns-repository.js'

/** What an editor sets on a column. */
export interface ColumnInput {
  name: string
  colour: string
  defaultPriority?: number
  /** Replay missed segments later (make-good, 补播); refused for a time-bound column. */
  makeGood?: boolean
  /** Make-good window after the segment's instant, minutes (default 120). */
  makeGoodWindowMin?: number
  /** Weather, warnings…: never made good. */
  timeBound?: boolean
}

/** Default make-good window, minutes. */
export const DEFAULT_MAKE_GOOD_WINDOW_MIN = 120

function checkMakeGood(c: Pick<ColumnRecord, 'makeGood' | 'timeBound' | 'name'>): void {
  if (c.makeGood && c.timeBound) {
    throw new ChorusError(
      'COLUMN_INVALID',
      `the column "${c.name}" is time-bound (weather, warnings): its segments cannot be made good`,
    )
  }
}

const makeGoodChanged = (a: ColumnRecord, b: ColumnRecord) =>
  a.makeGood !== b.makeGood ||
  a.makeGoodWindowMin !== b.makeGoodWindowMin ||
  a.timeBound !== b.timeBound

/**
 * Columns (栏目): news, policy, safety… Each has a colour for the editors' views, a default
 * priority for its segments that name none, and a make-good policy (补播: replay a missed segment
 * within a window; never for a time-bound column such as weather or warnings). Changing a default priority changes plans, so it
 * refreshes them; a column still used by a template or a current or future date cannot be deleted.
 */
export function createColumns(deps: {
  repos: Pick<SharedRepositories, 'audio' | 'columns' | 'days' | 'templates'>
  bus: EventBus
  clock: Clock
  log: Logger
  tz: string
}) {
  const { repos } = deps
  const log = deps.log.child({ module: 'columns' })
  const now = () => new Date(deps.clock.now()).toISOString()

  function get(id: string): ColumnRecord {
    const c = repos.columns.get(id)
    if (!c) throw new ChorusError('COLUMN_NOT_FOUND', `no column ${id}`)
    return c
  }

  function checkName(name: string, id: string | null): void {
    const clash = repos.columns.findByName(name)
    if (clash && clash.id !== id) {
      throw new ChorusError('COLUMN_INVALID', `a column named "${name}" already exists`)
    }
  }

  async function create(input: ColumnInput): Promise<ColumnRecord> {
    const name = input.name.trim()
    checkName(name, null)
    const at = now()
    const column: ColumnRecord = {
      id: `c-${randomBytes(4).toString('hex')}`,
      name,
      colour: input.colour.toLowerCase(),
      defaultPriority: input.defaultPriority ?? DEFAULT_PRIORITY,
      makeGood: input.makeGood ?? false,
      makeGoodWindowMin: input.makeGoodWindowMin ?? DEFAULT_MAKE_GOOD_WINDOW_MIN,
      timeBound: input.timeBound ?? false,
      createdAt: at,
      updatedAt: at,
    }
    checkMakeGood(column)
    repos.columns.put(column)
    log.info({ columnId: column.id, name }, 'column created')
    deps.bus.emit('programmeChanged', {
      what: 'column',
      dates: [],
      zones: 'all',
      reason: `column ${column.id} created`,
    })
    return column
  }

  async function update(id: string, patch: Partial<ColumnInput>): Promise<ColumnRecord> {
    const old = get(id)
    const name = patch.name?.trim() ?? old.name
    checkName(name, id)
    const column: ColumnRecord = {
      ...old,
      name,
      colour: patch.colour?.toLowerCase() ?? old.colour,
      defaultPriority: patch.defaultPriority ?? old.defaultPriority,
      makeGood: patch.makeGood ?? old.makeGood,
      makeGoodWindowMin: patch.makeGoodWindowMin ?? old.makeGoodWindowMin,
      timeBound: patch.timeBound ?? old.timeBound,
      updatedAt: now(),
    }
    checkMakeGood(column)
    repos.columns.put(column)
    // Plans carry a column's default priority and make-good window, not its name or colour.
    const plans = column.defaultPriority !== old.defaultPriority || makeGoodChanged(old, column)
    deps.bus.emit('programmeChanged', {
      what: 'column',
      dates: plans ? 'all' : [],
      zones: 'all',
      reason: `column ${id} changed`,
    })
    return column
  }

  /** Where a column is used by what shapes plans: templates and current or future dates. */
  function usage(id: string): { templates: string[]; dates: string[] } {
    const uses = (items: readonly RunningOrderItem[]) => items.some((i) => i.columnId === id)
    const templates = (['working', 'rest'] as const).filter((t) =>
      uses(repos.templates.get<RunningOrderItem>(t)?.items ?? []),
    )
    const today = instantToLocalDate(deps.clock.now(), deps.tz)
    return { templates, dates: repos.days.datesUsingColumn(id, today) }
  }

  async function remove(id: string): Promise<void> {
    const column = get(id)
    const used = usage(id)
    if (used.templates.length > 0 || used.dates.length > 0) {
      const where = [
        ...used.templates.map(
          (t) => `the ${t === 'working' ? 'working-day' : 'rest-day'} template`,
        ),
        ...(used.dates.length > 0 ? [`the running orders of ${used.dates.join(', ')}`] : []),
      ]
      throw new ChorusError(
        'COLUMN_IN_USE',
        `the column "${column.name}" is used by ${where.join(' and ')}`,
        { details: used },
      )
    }
    const cleared = repos.audio.clearColumn(id)
    repos.columns.delete(id)
    log.info({ columnId: id, recordingsCleared: cleared }, 'column deleted')
    deps.bus.emit('programmeChanged', {
      what: 'column',
      dates: [],
      zones: 'all',
      reason: `column ${id} deleted`,
    })
  }

  return { list: () => repos.columns.list(), get, create, update, remove, usage }
}

/** The columns service. */
export type Columns = ReturnType<typeof createColumns>
