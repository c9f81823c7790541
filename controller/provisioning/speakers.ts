import type { Logger } from 'pino'
import { ChorusError } from '../errors.js'
import type { EventBus } from '../platform/index.js'
import type { NodeRecord, NodesRepository } from './repositories/nodes-repository.js'
import type { Zone, ZonesRepository } from './repositories/zones-repository.js'

/** What the office or an installer may change on a speaker; left out: unchanged. */
export interface SpeakerPatch {
  name?: string
  /** Zone id, code or unique name. */
  zone?: string
  /** Both or neither; null clears the position. */
  lat?: number | null
  lon?: number | null
  serial?: string | null
  notes?: string | null
}

/** A warning that does not stop a change (shown to the person who made it). */
export interface SpeakerWarning {
  code: 'DUPLICATE_NAME'
  message: string
}

/** One row of an imported survey sheet and what became of it. */
export interface ImportRow {
  line: number
  name: string
  action: 'create' | 'update' | 'unchanged' | 'error'
  nodeId: string | null
  message: string | null
}

/** The survey sheet's columns, in order (the export writes them; the import reads them). */
export const SHEET_COLUMNS = [
  '名称',
  '区域代码',
  '区域',
  '序列号',
  '纬度',
  '经度',
  '备注',
  '节点ID',
]
const SHEET_COLUMNS_EN = ['name', 'zoneCode', 'zone', 'serial', 'lat', 'lon', 'notes', 'nodeId']

const MAX_ROWS = 5_000

/** Splits one CSV line (quotes, doubled quotes, commas inside quotes). */
export function csvFields(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (c === '"') quoted = false
      else cur += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  // The export guards formula-looking cells with a leading apostrophe: read them back as written.
  return out.map((f) => f.trim().replace(/^'(?=[=+\-@])/, ''))
}

/**
 * Speakers as the office and installers keep them: edit a node's name, zone, position, serial
 * and notes (serials unique among active speakers, a duplicate name in a zone warned about), the
 * survey sheet as CSV both ways, and bulk moves of a filtered list.
 */
export function createSpeakers(deps: {
  nodes: NodesRepository
  zones: ZonesRepository
  bus: EventBus
  log: Logger
  /** Registers a new speaker from the sheet (its enrollment bundle is issued when installed). */
  register: (input: {
    name: string
    zone: string
    lat?: number
    lon?: number
    serial?: string
    notes?: string
  }) => { node: NodeRecord }
  /** A node's zone changed: its targeting (and so its plan) did. */
  onZoneChanged: (nodeId: string) => void
}) {
  const log = deps.log.child({ module: 'speakers' })

  function zoneOf(ref: string): Zone {
    const z = deps.zones.resolve(ref)
    if (z) return z
    const named = deps.zones.findByName(ref)
    if (named.length === 1 && named[0]) return named[0]
    if (named.length > 1) {
      throw new ChorusError('ZONE_AMBIGUOUS', `several zones are named "${ref}"; use its code`)
    }
    throw new ChorusError('ZONE_NOT_FOUND', `zone "${ref}" does not exist`)
  }

  function active(id: string): NodeRecord {
    const n = deps.nodes.get(id)
    if (!n) throw new ChorusError('NODE_NOT_FOUND', `no node ${id}`)
    if (n.retiredAt) throw new ChorusError('NODE_RETIRED', `${n.name} is retired`)
    return n
  }

  function checkSerial(serial: string | null, selfId: string | null): void {
    if (serial === null) return
    const other = deps.nodes.findBySerial(serial)
    if (other && other.id !== selfId) {
      throw new ChorusError('SERIAL_TAKEN', `serial ${serial} is already ${other.name}`, {
        details: { nodeId: other.id },
      })
    }
  }

  /** Warnings for a name already used by another active speaker of the same zone. */
  function nameWarnings(name: string, zoneId: string, selfId: string): SpeakerWarning[] {
    const twin = deps.nodes.namesake(zoneId, name, selfId)
    return twin
      ? [{ code: 'DUPLICATE_NAME', message: `${twin} in the same zone is also named ${name}` }]
      : []
  }

  function edit(id: string, patch: SpeakerPatch): { node: NodeRecord; warnings: SpeakerWarning[] } {
    const node = active(id)
    if ((patch.lat === undefined) !== (patch.lon === undefined)) {
      throw new ChorusError('BAD_REQUEST', 'give lat and lon together')
    }
    if ((patch.lat === null) !== (patch.lon === null)) {
      throw new ChorusError('BAD_REQUEST', 'clear lat and lon together')
    }
    const name = patch.name === undefined ? node.name : patch.name.trim()
    if (!name) throw new ChorusError('BAD_REQUEST', 'a speaker needs a name')
    const zoneId = patch.zone === undefined ? node.zoneId : zoneOf(patch.zone).id
    const serial = patch.serial === undefined ? node.serial : patch.serial?.trim() || null
    checkSerial(serial, node.id)
    const next = {
      id: node.id,
      name,
      zoneId,
      lat: patch.lat === undefined ? node.lat : patch.lat,
      lon: patch.lon === undefined ? node.lon : patch.lon,
      serial,
      notes: patch.notes === undefined ? node.notes : patch.notes?.trim() || null,
    }
    deps.nodes.edit(next)
    log.info({ nodeId: id, fields: Object.keys(patch) }, 'speaker edited')
    deps.bus.emit('nodeChanged', { nodeId: id })
    if (zoneId !== node.zoneId) deps.onZoneChanged(id)
    return { node: active(id), warnings: nameWarnings(name, zoneId, id) }
  }

  /** The survey sheet of these speakers (header row first; cells as the CSV writer takes them). */
  function sheet(list: readonly NodeRecord[], lang: 'zh' | 'en') {
    const zones = new Map(deps.zones.list().map((z) => [z.id, z]))
    return {
      header: lang === 'en' ? SHEET_COLUMNS_EN : SHEET_COLUMNS,
      rows: list.map((n) => [
        n.name,
        zones.get(n.zoneId)?.code ?? '',
        zones.get(n.zoneId)?.name ?? n.zoneId,
        n.serial ?? '',
        n.lat ?? '',
        n.lon ?? '',
        n.notes ?? '',
        n.id,
      ]),
    }
  }

  function parseRow(fields: string[]) {
    const [name = '', zoneCode = '', zoneName = '', serial = '', lat = '', lon = '', notes = ''] =
      fields
    const nodeId = fields[7] ?? ''
    const num = (v: string, lo: number, hi: number, what: string) => {
      if (v === '') return undefined
      const x = Number(v)
      if (!Number.isFinite(x) || x < lo || x > hi) throw new Error(`${what} ${v} is not valid`)
      return x
    }
    const la = num(lat, -90, 90, 'latitude')
    const lo = num(lon, -180, 180, 'longitude')
    if ((la === undefined) !== (lo === undefined))
      throw new Error('give latitude and longitude together')
    if (!name) throw new Error('the name is empty')
    if (!zoneCode && !zoneName) throw new Error('no zone')
    return { name, zone: zoneCode || zoneName, serial, notes, nodeId, lat: la, lon: lo }
  }

  /**
   * Reads a survey sheet: rows with a node id or a known serial update that speaker, others
   * register a new one. `apply: false` only says what would happen. `mayTouch` is the caller's
   * zone scope. Every row is checked before anything is written; a sheet with errors changes
   * nothing.
   */
  function importSheet(
    text: string,
    opts: { apply: boolean; mayTouch: (zoneId: string) => boolean },
  ): { rows: ImportRow[]; applied: boolean } {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
    if (lines.length > MAX_ROWS + 1) {
      throw new ChorusError('BAD_REQUEST', `a sheet has at most ${MAX_ROWS} rows`)
    }
    type Planned = ImportRow & { apply?: () => void }
    const planned: Planned[] = []
    const serials = new Set<string>()
    lines.forEach((raw, i) => {
      if (!raw.trim()) return
      const fields = csvFields(raw)
      if (i === 0 && (SHEET_COLUMNS.includes(fields[0] ?? '') || fields[0] === 'name')) return
      const line = i + 1
      try {
        const row = parseRow(fields)
        const zone = zoneOf(row.zone)
        if (!opts.mayTouch(zone.id)) throw new Error(`zone ${zone.name} is outside your zones`)
        if (row.serial) {
          if (serials.has(row.serial)) throw new Error(`serial ${row.serial} appears twice`)
          serials.add(row.serial)
        }
        const existing =
          (row.nodeId ? deps.nodes.get(row.nodeId) : null) ??
          (row.serial ? deps.nodes.findBySerial(row.serial) : null)
        if (existing) {
          if (existing.retiredAt) throw new Error(`${existing.name} is retired`)
          if (!opts.mayTouch(existing.zoneId))
            throw new Error(`${existing.name} is outside your zones`)
          if (row.serial) checkSerial(row.serial, existing.id)
          const patch: SpeakerPatch = {
            name: row.name,
            zone: zone.id,
            serial: row.serial || existing.serial,
            notes: row.notes || existing.notes,
            ...(row.lat !== undefined ? { lat: row.lat, lon: row.lon as number } : {}),
          }
          const same =
            existing.name === row.name &&
            existing.zoneId === zone.id &&
            (row.lat === undefined || (existing.lat === row.lat && existing.lon === row.lon)) &&
            (!row.serial || existing.serial === row.serial) &&
            (!row.notes || existing.notes === row.notes)
          planned.push({
            line,
            name: row.name,
            action: same ? 'unchanged' : 'update',
            nodeId: existing.id,
            message: null,
            ...(same ? {} : { apply: () => edit(existing.id, patch) }),
          })
          return
        }
        if (row.nodeId) throw new Error(`no node ${row.nodeId}`)
        if (row.serial) checkSerial(row.serial, null)
        planned.push({
          line,
          name: row.name,
          action: 'create',
          nodeId: null,
          message: null,
          apply: () => {
            const { node } = deps.register({
              name: row.name,
              zone: zone.id,
              ...(row.lat !== undefined ? { lat: row.lat, lon: row.lon as number } : {}),
              ...(row.serial ? { serial: row.serial } : {}),
              ...(row.notes ? { notes: row.notes } : {}),
            })
            const done = planned.find((p) => p.line === line)
            if (done) done.nodeId = node.id
          },
        })
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        planned.push({ line, name: fields[0] ?? '', action: 'error', nodeId: null, message })
      }
    })
    if (planned.length === 0) throw new ChorusError('BAD_REQUEST', 'the sheet has no rows')
    const ok = planned.every((p) => p.action !== 'error')
    if (opts.apply && ok) {
      for (const p of planned) p.apply?.()
      log.info({ rows: planned.length }, 'survey sheet imported')
    }
    return {
      rows: planned.map(({ apply: _apply, ...row }) => row),
      applied: opts.apply && ok,
    }
  }

  /** Moves speakers to a zone; all checked first, then all moved. */
  function moveAll(ids: readonly string[], zoneRef: string): NodeRecord[] {
    const zone = zoneOf(zoneRef)
    const list = ids.map(active)
    return list.map((n) => edit(n.id, { zone: zone.id }).node)
  }

  return {
    edit,
    sheet,
    importSheet,
    moveAll,
    zoneOf,
    /** Every speaker record (retired ones included). */
    list: (): NodeRecord[] => deps.nodes.list(),
    get: (id: string): NodeRecord | null => deps.nodes.get(id),
  }
}

/** The speakers service. */
export type Speakers = ReturnType<typeof createSpeakers>
