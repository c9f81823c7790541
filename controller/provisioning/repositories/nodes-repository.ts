import type { Db } from '../../platform/index.js'

/** A node as the controller stores it (the secret hash never leaves this repository's callers). */
export interface NodeRecord {
  id: string
  name: string
  zoneId: string
  lat: number | null
  lon: number | null
  isTest: boolean
  createdAt: string
  retiredAt: string | null
  online: boolean
  stateSince: string | null
  lastSeen: string | null
  bootId: string | null
  agentVersion: string | null
  reportedPlanVersion: string | null
  appliedPlanVersion: string | null
  /** Hardware serial, as the installer typed or scanned it. */
  serial: string | null
  notes: string | null
  /** When the node last exchanged an enrollment token for its credentials. */
  enrolledAt: string | null
  /** When new hardware last took over this node's identity. */
  replacedAt: string | null
  /** When the node first came online (its first birth). */
  firstOnlineAt: string | null
}

export interface NodeRow {
  id: string
  name: string
  zone_id: string
  lat: number | null
  lon: number | null
  is_test: number
  created_at: string
  retired_at: string | null
  online: number
  state_since: string | null
  last_seen: string | null
  boot_id: string | null
  agent_version: string | null
  reported_plan_version: string | null
  applied_plan_version: string | null
  serial: string | null
  notes: string | null
  enrolled_at: string | null
  replaced_at: string | null
  first_online_at: string | null
}

export const COLUMNS = `id, name, zone_id, lat, lon, is_test, created_at, retired_at, online, state_since,
  last_seen, boot_id, agent_version, reported_plan_version, applied_plan_version, serial, notes,
  enrolled_at, replaced_at, first_online_at`

export const toNode = (r: NodeRow): NodeRecord => ({
  id: r.id,
  name: r.name,
  zoneId: r.zone_id,
  lat: r.lat,
  lon: r.lon,
  isTest: r.is_test === 1,
  createdAt: r.created_at,
  retiredAt: r.retired_at,
  online: r.online === 1,
  stateSince: r.state_since,
  lastSeen: r.last_seen,
  bootId: r.boot_id,
  agentVersion: r.agent_version,
  reportedPlanVersion: r.reported_plan_version,
  appliedPlanVersion: r.applied_plan_version,
  serial: r.serial,
  notes: r.notes,
  enrolledAt: r.enrolled_at,
  replacedAt: r.replaced_at,
  firstOnlineAt: r.first_online_at,
})

/** Nodes, their credentials' hashes and their presence. */
export function createNodesRepository(db: Db) {
  const all = db.prepare<[], NodeRow>(`SELECT ${COLUMNS} FROM nodes ORDER BY name, id`)
  const byId = db.prepare<[string], NodeRow>(`SELECT ${COLUMNS} FROM nodes WHERE id = ?`)
  const onlineById = db.prepare<[string], { online: number }>(
    'SELECT online FROM nodes WHERE id = ?',
  )
  const hashById = db.prepare<[string], { secret_hash: string }>(
    'SELECT secret_hash FROM nodes WHERE id = ? AND retired_at IS NULL',
  )
  const insert = db.prepare(`INSERT INTO nodes (id, name, zone_id, lat, lon, is_test, secret_hash,
    created_at, serial, notes) VALUES (@id, @name, @zoneId, @lat, @lon, @isTest, @secretHash,
    @createdAt, @serial, @notes)`)
  const setHash = db.prepare('UPDATE nodes SET secret_hash = ? WHERE id = ? AND retired_at IS NULL')
  const retire = db.prepare(
    'UPDATE nodes SET secret_hash = @secretHash, retired_at = @at WHERE id = @id AND retired_at IS NULL',
  )
  const replace = db.prepare(`UPDATE nodes SET secret_hash = @secretHash, replaced_at = @at,
      serial = coalesce(@serial, serial), notes = coalesce(@notes, notes), enrolled_at = NULL,
      boot_id = NULL, agent_version = NULL, reported_plan_version = NULL,
      applied_plan_version = NULL
    WHERE id = @id AND retired_at IS NULL`)
  const setOnline = db.prepare(`UPDATE nodes SET online = 1, state_since = CASE WHEN online = 1
      THEN state_since ELSE @at END, last_seen = @at, boot_id = @bootId,
      first_online_at = coalesce(first_online_at, @at),
      agent_version = @agentVersion, reported_plan_version = @planVersion WHERE id = @id`)
  const setOffline = db.prepare(
    'UPDATE nodes SET online = 0, state_since = @at, last_seen = @at WHERE id = @id AND online = 1',
  )
  const touch = db.prepare('UPDATE nodes SET last_seen = ? WHERE id = ?')
  const touchMany = db.transaction((pairs: [string, string][]) => {
    for (const [id, at] of pairs) touch.run(at, id)
  })
  const setApplied = db.prepare('UPDATE nodes SET applied_plan_version = ? WHERE id = ?')
  const edit = db.prepare(`UPDATE nodes SET name = @name, zone_id = @zoneId, lat = @lat, lon = @lon,
    serial = @serial, notes = @notes WHERE id = @id AND retired_at IS NULL`)
  // nodes_zone_name (zone_id, name, id) answers it: no walk of the fleet per edit.
  const twin = db.prepare<[string, string, string], { id: string }>(
    `SELECT id FROM nodes WHERE zone_id = ? AND name = ? AND id != ? AND retired_at IS NULL
    LIMIT 1`,
  )
  const bySerial = db.prepare<[string], NodeRow>(
    `SELECT ${COLUMNS} FROM nodes WHERE serial = ? AND retired_at IS NULL`,
  )
  const transition = db.prepare(`INSERT INTO presence_transitions (node_id, from_state, to_state,
    at, reason) VALUES (?, ?, ?, ?, ?)`)
  // A birth after an outage: the node's row and its transition in one commit (issue 9).
  const onlineAfterOutage = db.transaction((p: Record<string, unknown>, reason: string) => {
    setOnline.run(p)
    transition.run(p.id, 'offline', 'online', p.at, reason)
  })
  return {
    list: (): NodeRecord[] => all.all().map(toNode),
    get: (id: string): NodeRecord | null => {
      const r = byId.get(id)
      return r ? toNode(r) : null
    },
    /** Whether a node is online now: one column, no record built (a re-plan asks per node). */
    isOnline: (id: string): boolean => onlineById.get(id)?.online === 1,
    /** The secret hash of an active (not retired) node, or null. */
    secretHash: (id: string): string | null => hashById.get(id)?.secret_hash ?? null,
    insert(n: {
      id: string
      name: string
      zoneId: string
      lat: number | null
      lon: number | null
      isTest: boolean
      secretHash: string
      createdAt: string
      serial?: string | null
      notes?: string | null
    }): void {
      insert.run({
        ...n,
        isTest: n.isTest ? 1 : 0,
        serial: n.serial ?? null,
        notes: n.notes ?? null,
      })
    },
    /** Replaces an active node's secret hash; false when the node is unknown or retired. */
    setSecretHash: (id: string, secretHash: string): boolean =>
      setHash.run(secretHash, id).changes === 1,
    /**
     * Retires an active node: `retired_at` set, its secret hash overwritten by one nobody knows.
     * False when the node is unknown or already retired.
     */
    retire: (id: string, secretHash: string, at: string): boolean =>
      retire.run({ id, secretHash, at }).changes === 1,
    /**
     * New hardware takes over an active node: new secret hash, what the old hardware reported
     * (boot, version, plans held) forgotten, serial and notes replaced when given. History stays.
     */
    replace(p: {
      id: string
      secretHash: string
      at: string
      serial: string | null
      notes: string | null
    }): boolean {
      return replace.run(p).changes === 1
    },
    markOnline(p: {
      id: string
      at: string
      bootId: string
      agentVersion: string
      planVersion: string | null
      /** Given when the node was offline: the transition is recorded in the same commit. */
      cameOnline?: { reason: string }
    }): void {
      const { cameOnline, ...row } = p
      if (cameOnline) onlineAfterOutage(row, cameOnline.reason)
      else setOnline.run(row)
    },
    /** Marks a node offline; returns false when it already was. */
    markOffline: (id: string, at: string): boolean => setOffline.run({ id, at }).changes === 1,
    /** Writes many (node id, last seen) pairs in one transaction. */
    touchMany: (pairs: [string, string][]): void => {
      touchMany(pairs)
    },
    /** The active node with this hardware serial, if any. */
    findBySerial: (serial: string): NodeRecord | null => {
      const r = bySerial.get(serial)
      return r ? toNode(r) : null
    },
    /** Another active node of this zone with this name (its id), if any. */
    namesake: (zoneId: string, name: string, exceptId: string): string | null =>
      twin.get(zoneId, name, exceptId)?.id ?? null,
    /** Changes what the office or an installer may edit; false when unknown or retired. */
    edit(n: {
      id: string
      name: string
      zoneId: string
      lat: number | null
      lon: number | null
      serial: string | null
      notes: string | null
    }): boolean {
      return edit.run(n).changes === 1
    },
    setAppliedPlanVersion: (id: string, version: string): void => {
      setApplied.run(version, id)
    },
    recordTransition(id: string, from: string, to: string, at: string, reason: string): void {
      transition.run(id, from, to, at, reason)
    },
  }
}

/** The nodes repository. */
export type NodesRepository = ReturnType<typeof createNodesRepository>
