import type { Zone, ZoneInUseDetails } from '../../../../../contract/index.js'

// Pure helpers of the zones page: the catalogue as a cascader tree (province → city →
// district) and the towns of a district, and the zone list as a tree table.

/** A division of the bundled catalogue (GET /api/zones/catalogue). */
export interface Division {
  code: string
  name: string
  parentCode: string | null
}

/** A zone as GET /api/zones lists it, in tree order (depth, speaker counts). */
export type ZoneRow = Zone

/** A cascader option. */
export interface Option {
  value: string
  label: string
  children?: Option[]
}

/** Province → city → district options (towns are ticked separately). */
export function districtOptions(catalogue: readonly Division[]): Option[] {
  const byParent = new Map<string | null, Division[]>()
  for (const d of catalogue) {
    const list = byParent.get(d.parentCode) ?? []
    list.push(d)
    byParent.set(d.parentCode, list)
  }
  const build = (parent: string | null, level: number): Option[] =>
    (byParent.get(parent) ?? []).map((d) =>
      level < 2
        ? { value: d.code, label: d.name, children: build(d.code, level + 1) }
        : { value: d.code, label: d.name },
    )
  return build(null, 0)
}

/** The towns (街道/镇/乡) of a district in the catalogue. */
export function townsOf(catalogue: readonly Division[], district: string): Division[] {
  return catalogue.filter((d) => d.parentCode === district)
}

/** A row of the tree table: the zone with its children. */
export type ZoneTreeRow = ZoneRow & { children: ZoneTreeRow[] }

/** The listed zones as nested rows (the list's order is kept). */
export function zoneRows(zones: readonly ZoneRow[]): ZoneTreeRow[] {
  const rows = new Map(zones.map((z) => [z.id, { ...z, children: [] as ZoneTreeRow[] }]))
  const roots: ZoneTreeRow[] = []
  for (const z of zones) {
    const row = rows.get(z.id) as ZoneTreeRow
    const parent = z.parentId ? rows.get(z.parentId) : undefined
    ;(parent ? parent.children : roots).push(row)
  }
  return roots
}

/** The ids of a zone and every zone below it (not valid as its new parent). */
export function subtreeIds(zones: readonly ZoneRow[], id: string): Set<string> {
  const out = new Set([id])
  let grew = true
  while (grew) {
    grew = false
    for (const z of zones) {
      if (z.parentId && out.has(z.parentId) && !out.has(z.id)) {
        out.add(z.id)
        grew = true
      }
    }
  }
  return out
}

/** What may use a zone, in the order the refusal lists them. */
const USES = [
  'children',
  'nodes',
  'retiredNodes',
  'users',
  'tokens',
  'announcements',
  'runningOrders',
  'calendarOverrides',
] as const

function isInUse(d: unknown): d is ZoneInUseDetails {
  const o = d as Record<string, unknown> | null
  return typeof o?.zoneName === 'string' && USES.every((k) => typeof o[k] === 'number')
}

/**
 * The 409 ZONE_IN_USE refusal in the reader's language, from its `details` (the zone and what
 * still uses it); null when the details are not those (the server's message is shown instead).
 */
export function zoneInUseText(
  details: unknown,
  t: (key: string, vars?: Record<string, unknown>) => string,
): string | null {
  if (!isInUse(details)) return null
  const uses = USES.filter((k) => details[k] > 0).map((k) => t(`zones.use.${k}`, { n: details[k] }))
  return t('zones.inUse', { zone: details.zoneName, uses: uses.join(t('zones.useSeparator')) })
}
