import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { ZoneInUseDetails } from '../../contract/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import {
  codeShapeProblem,
  DISTRICT_CATALOGUE,
  type Division,
  findDivision,
} from './district-catalogue.js'
import type { Zone, ZonesRepository, ZoneUsage } from './repositories/zones-repository.js'

/** A zone as the zones page lists it: with its speakers (own and below) and depth. */
export interface ZoneView extends Zone {
  depth: number
  /** Active speakers in this zone itself. */
  nodeCount: number
  /** Active speakers in this zone and every zone below it. */
  totalNodes: number
}

/** A change to a zone: any field left out stays as it is. */
export interface ZonePatch {
  name?: string
  parentId?: string | null
  code?: string | null
}

const MAX_IMPORT = 5_000
const NAME_MAX = 60

function cleanName(name: string): string {
  const n = name.trim()
  if (!n || n.length > NAME_MAX) {
    throw new ChorusError('ZONE_INVALID', `a zone name has 1 to ${NAME_MAX} characters`)
  }
  return n
}

/** Words for what holds a zone, for the refusal to delete it. */
function usageText(u: ZoneUsage): string[] {
  const out: string[] = []
  if (u.children) out.push(`${u.children} zones below it`)
  if (u.nodes) out.push(`${u.nodes} speakers`)
  if (u.retiredNodes) out.push(`${u.retiredNodes} retired speakers' history`)
  if (u.users) out.push(`${u.users} users' scopes`)
  if (u.tokens) out.push(`${u.tokens} API tokens' scopes`)
  if (u.announcements) out.push(`${u.announcements} announcements`)
  if (u.runningOrders) out.push(`${u.runningOrders} dates' own running orders`)
  if (u.calendarOverrides) out.push(`${u.calendarOverrides} dates' own calendar overrides`)
  return out
}

/**
 * The zones page's service: the administrative tree (district → 街道/镇 → 社区/村) with codes,
 * created, renamed, moved and deleted by the office, and a fresh install's district from the
 * bundled catalogue or a CSV. Zones are never created as a side effect of registering a node.
 */
export function createZones(deps: {
  repo: ZonesRepository
  bus: EventBus
  clock: Clock
  log: Logger
  /** Called after a move: zone lineages (and what caches them) are stale. */
  onTreeChanged: () => void
}) {
  const { repo } = deps
  const log = deps.log.child({ module: 'zones' })
  const nowIso = () => new Date(deps.clock.now()).toISOString()
  const newId = () => `z-${randomBytes(4).toString('hex')}`

  function get(ref: string): Zone {
    const z = repo.resolve(ref)
    if (!z) throw new ChorusError('ZONE_NOT_FOUND', `zone ${ref} does not exist`)
    return z
  }

  function checkCode(code: string | null, parentId: string | null, selfId: string | null) {
    if (code === null) return null
    const c = code.trim()
    if (!c) return null
    const parent = parentId ? repo.get(parentId) : null
    const shape = codeShapeProblem(c, parent?.code ?? null)
    if (shape) throw new ChorusError('ZONE_INVALID', `code ${c}: ${shape}`)
    const clash = repo.findByCode(c)
    if (clash && clash.id !== selfId) {
      throw new ChorusError('ZONE_EXISTS', `code ${c} is already ${clash.name}`, {
        details: { id: clash.id },
      })
    }
    return c
  }

  function checkSibling(name: string, parentId: string | null, selfId: string | null): void {
    const clash = repo.findByName(name).find((z) => z.parentId === parentId && z.id !== selfId)
    if (clash) {
      throw new ChorusError('ZONE_EXISTS', `${name} already exists there`, {
        details: { id: clash.id },
      })
    }
  }

  /** The tree in display order (parents before children), with speaker counts. */
  function list(): ZoneView[] {
    const zones = repo.list()
    const counts = repo.nodeCounts()
    const children = new Map<string | null, Zone[]>()
    for (const z of zones) {
      const key = z.parentId !== null && zones.some((p) => p.id === z.parentId) ? z.parentId : null
      children.set(key, [...(children.get(key) ?? []), z])
    }
    const out: ZoneView[] = []
    const walk = (parent: string | null, depth: number): number => {
      let total = 0
      const kids = (children.get(parent) ?? []).sort(
        (a, b) => (a.code ?? '~').localeCompare(b.code ?? '~') || a.name.localeCompare(b.name),
      )
      for (const z of kids) {
        const view: ZoneView = { ...z, depth, nodeCount: counts.get(z.id) ?? 0, totalNodes: 0 }
        out.push(view)
        view.totalNodes = view.nodeCount + walk(z.id, depth + 1)
        total += view.totalNodes
      }
      return total
    }
    walk(null, 0)
    return out
  }

  function create(input: { name: string; parentId?: string | null; code?: string | null }): Zone {
    const name = cleanName(input.name)
    const parentId = input.parentId ? get(input.parentId).id : null
    checkSibling(name, parentId, null)
    const code = checkCode(input.code ?? null, parentId, null)
    const zone = repo.insert({ id: newId(), name, parentId, code }, nowIso())
    log.info({ zoneId: zone.id, name, parentId, code }, 'zone created')
    deps.bus.emit('zonesChanged', { zoneIds: [zone.id] })
    return zone
  }

  function update(ref: string, patch: ZonePatch): Zone {
    const zone = get(ref)
    const name = patch.name === undefined ? zone.name : cleanName(patch.name)
    const parentId =
      patch.parentId === undefined ? zone.parentId : patch.parentId ? get(patch.parentId).id : null
    if (parentId !== zone.parentId && parentId !== null) {
      // A zone cannot move under itself or one of its descendants.
      for (
        let p: Zone | null = repo.get(parentId);
        p;
        p = p.parentId ? repo.get(p.parentId) : null
      ) {
        if (p.id === zone.id) {
          throw new ChorusError('ZONE_INVALID', `${zone.name} cannot move under itself`)
        }
      }
    }
    checkSibling(name, parentId, zone.id)
    const code = checkCode(patch.code === undefined ? zone.code : patch.code, parentId, zone.id)
    const next: Zone = { id: zone.id, name, parentId, code }
    repo.update(next)
    log.info({ zoneId: zone.id, name, parentId, code }, 'zone updated')
    if (parentId !== zone.parentId) deps.onTreeChanged()
    deps.bus.emit('zonesChanged', { zoneIds: [zone.id] })
    return next
  }

  function remove(ref: string): void {
    const zone = get(ref)
    const usage = repo.usage(zone.id)
    const used = usageText(usage)
    if (used.length > 0) {
      // The message is for logs and API users; `details` lets the UI say it in its language.
      const details: ZoneInUseDetails = { zoneId: zone.id, zoneName: zone.name, ...usage }
      throw new ChorusError('ZONE_IN_USE', `${zone.name} is used by ${used.join(', ')}`, {
        details,
      })
    }
    repo.delete(zone.id)
    log.info({ zoneId: zone.id, name: zone.name }, 'zone deleted')
    deps.bus.emit('zonesChanged', { zoneIds: [zone.id] })
  }

  /**
   * Creates zones from divisions (a catalogue district and the towns chosen, or a CSV): each
   * under the existing zone whose code is the longest prefix of its own, else at the top.
   * Zones whose code already exists are left as they are. Returns the zones created.
   */
  function importDivisions(divisions: readonly { code: string; name: string }[]): Zone[] {
    if (divisions.length === 0 || divisions.length > MAX_IMPORT) {
      throw new ChorusError('ZONE_INVALID', `import 1 to ${MAX_IMPORT} zones at once`)
    }
    const sorted = [...divisions].sort(
      (a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code),
    )
    const byCode = new Map(
      repo
        .list()
        .filter((z) => z.code)
        .map((z) => [z.code as string, z]),
    )
    const created: Zone[] = []
    for (const d of sorted) {
      const code = d.code.trim()
      const name = cleanName(d.name)
      const shape = codeShapeProblem(code, null)
      if (shape) throw new ChorusError('ZONE_INVALID', `${name} (${code}): ${shape}`)
      if (byCode.has(code)) continue
      let parent: Zone | null = null
      for (const len of [9, 6]) {
        if (code.length > len) parent = byCode.get(code.slice(0, len)) ?? parent
        if (parent) break
      }
      const zone: Zone = { id: newId(), name, parentId: parent?.id ?? null, code }
      byCode.set(code, zone)
      created.push(zone)
    }
    repo.insertMany(created, nowIso())
    log.info({ created: created.length }, 'zones imported')
    if (created.length) deps.bus.emit('zonesChanged', { zoneIds: created.map((z) => z.id) })
    return created
  }

  /** Parses `code,name` lines (a header line and blank lines are skipped). */
  function parseCsv(text: string): { code: string; name: string }[] {
    if (text.length > 1_000_000) throw new ChorusError('ZONE_INVALID', 'the CSV is over 1 MB')
    const out: { code: string; name: string }[] = []
    text.split(/\r?\n/).forEach((line, i) => {
      const cells = line.split(/[,\t，]/).map((c) => c.trim().replace(/^"|"$/g, ''))
      if (!cells[0] || (i === 0 && !/^\d/.test(cells[0]))) return
      if (cells.length < 2 || !cells[1]) {
        throw new ChorusError('ZONE_INVALID', `line ${i + 1}: expected "code,name"`)
      }
      out.push({ code: cells[0], name: cells[1] })
    })
    return out
  }

  /** A fresh install's district: the district zone and the towns chosen (default: all). */
  function setupDistrict(code: string, towns?: readonly string[]): Zone[] {
    const district = findDivision(code)
    if (!district || code.length !== 6 || code.endsWith('00')) {
      throw new ChorusError('ZONE_NOT_FOUND', `district ${code} is not in the catalogue`)
    }
    const chosen = (district.children ?? []).filter((t) => !towns || towns.includes(t.code))
    return importDivisions([{ code: district.code, name: district.name }, ...chosen])
  }

  return {
    list,
    get,
    create,
    update,
    remove,
    importDivisions,
    importCsv: (text: string) => importDivisions(parseCsv(text)),
    setupDistrict,
    /** The bundled catalogue, flat (each division with its parent's code). */
    catalogue(): { code: string; name: string; parentCode: string | null }[] {
      const out: { code: string; name: string; parentCode: string | null }[] = []
      const walk = (list: readonly Division[], parentCode: string | null) => {
        for (const d of list) {
          out.push({ code: d.code, name: d.name, parentCode })
          if (d.children) walk(d.children, d.code)
        }
      }
      walk(DISTRICT_CATALOGUE, null)
      return out
    },
  }
}

/** The zones service. */
export type Zones = ReturnType<typeof createZones>
