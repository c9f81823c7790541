import {
  itemIdForStart,
  type QuietHours,
  type RunningOrderItem,
  relayItemProblems,
  SEGMENT_PRIORITY_MAX,
  type ValidateDayOptions,
} from '../../schedules/index.js'
import { ChorusError, type ErrorCode } from '../errors.js'
import type { SharedRepositories } from '../repositories.js'

/** An item as an editor sends it: the id is optional and made stable from the start time. */
export type ItemInput = Omit<RunningOrderItem, 'id'> & { id?: string }

/** Gives items without an id a stable one derived from their start time (`t073000`, `-2`…). */
export function withIds(items: readonly ItemInput[]): RunningOrderItem[] {
  const used = new Set(items.map((i) => i.id).filter((id): id is string => Boolean(id)))
  return items.map((item) => {
    if (item.id) return item as RunningOrderItem
    const base = itemIdForStart(item.start)
    let id = base
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`
    used.add(id)
    return { ...item, id }
  })
}

/**
 * Refuses (with `code`, 422) items naming audio, columns or zones that do not exist, a priority
 * above the scheduled band (announcements alone may go higher), or a relay (转播) item with audio,
 * an end not after its start or a URL that is not an http(s)/rtsp/rtp/udp source.
 */
export function checkItemReferences(
  repos: Pick<SharedRepositories, 'audio' | 'columns' | 'zones'>,
  items: readonly RunningOrderItem[],
  code: ErrorCode,
): void {
  const problems: string[] = []
  const unique = (ids: (string | null | undefined)[]) => [
    ...new Set(ids.filter((x): x is string => typeof x === 'string')),
  ]
  const audio = unique(items.map((i) => i.audioId)).filter((id) => !repos.audio.get(id))
  if (audio.length > 0) problems.push(`unknown audio: ${audio.join(', ')}`)
  const columns = unique(items.map((i) => i.columnId)).filter((id) => !repos.columns.get(id))
  if (columns.length > 0) problems.push(`unknown column: ${columns.join(', ')}`)
  const zones = unique(items.flatMap((i) => i.zones ?? [])).filter((id) => !repos.zones.get(id))
  if (zones.length > 0) problems.push(`unknown zone: ${zones.join(', ')}`)
  const high = items.filter((i) => (i.priority ?? 0) > SEGMENT_PRIORITY_MAX)
  if (high.length > 0) {
    problems.push(
      `the segment at ${high[0]?.start} has priority ${high[0]?.priority}; scheduled segments ` +
        `go up to ${SEGMENT_PRIORITY_MAX} (higher is for announcements)`,
    )
  }
  problems.push(...items.flatMap((i) => relayItemProblems(i)))
  if (problems.length > 0) throw new ChorusError(code, problems.join('; '))
}

/** `22:00-06:30` → `{ start: '22:00', end: '06:30' }` (the config pattern guarantees the form). */
export function parseQuietHours(spec: string): QuietHours {
  const [start = '22:00', end = '06:30'] = spec.split('-')
  return { start, end }
}

/** Validation options shared by templates and dates: quiet hours and the zone tree. */
export function validationOptions(
  repos: Pick<SharedRepositories, 'audio' | 'columns' | 'zones'>,
  quietHours: string,
): ValidateDayOptions {
  return {
    quietHours: parseQuietHours(quietHours),
    zoneParents: new Map(repos.zones.list().map((z) => [z.id, z.parentId])),
  }
}
