import { createEmitter } from './emitter.js'
import type { Announcement, ProgrammeChange } from './programme-types.js'
import type { Alert, Command, Incident, NodeView, Play, Zone } from './types.js'

/** State of the live stream, shown in the header. */
export type ConnState = 'connecting' | 'live' | 'down'

/** The district's time zone until the controller says otherwise (GET /api/health `tz`). */
export const DEFAULT_TZ = 'Asia/Shanghai'

/** What the store tells views. */
export interface StoreEvents extends Record<string, unknown[]> {
  /** Nodes changed: the ids, or null when the whole list was replaced. */
  nodes: [Set<string> | null]
  /** New play events arrived on the stream. */
  plays: [Play[]]
  /** Commands changed (sent, acknowledged, expired). */
  commands: [Command[]]
  /** Alerts changed: the changed ones, or null when the open list was replaced. */
  alerts: [Alert[] | null]
  /** Incidents started or ended. */
  incidents: [Incident[]]
  conn: [ConnState]
  /** The stream reconnected: views reload what they show, since events may have been missed. */
  resync: []
  /** The node list could not be loaded (message), or loaded again (null). */
  error: [string | null]
  /** Announcements changed (created, cancelled, acknowledged by a node, played): their views. */
  announcements: [Announcement[]]
  /** Templates, date orders, the calendar or columns changed: pages refetch what they show. */
  programme: [ProgrammeChange[]]
  /** Recordings added, edited or deleted: their ids. */
  audio: [string[]]
  /** Nodes that sent a readiness report: their ids. */
  readiness: [string[]]
}

/** The UI's shared state: nodes by id, zones, open alerts, the time zone, the stream's state. */
export function createStore() {
  const events = createEmitter<StoreEvents>()
  const nodes = new Map<string, NodeView>()
  const openAlerts = new Map<string, Alert>()
  const state = {
    zones: [] as Zone[],
    zoneById: new Map<string, Zone>(),
    loaded: false,
    alertsLoaded: false,
    error: null as string | null,
    conn: 'connecting' as ConnState,
    tz: DEFAULT_TZ,
  }

  return {
    nodes: nodes as ReadonlyMap<string, NodeView>,
    /** Alerts not resolved yet, by id. */
    openAlerts: openAlerts as ReadonlyMap<string, Alert>,
    on: events.on,
    emit: events.emit,
    get zones(): readonly Zone[] {
      return state.zones
    },
    zone(id: string | null): Zone | undefined {
      return id ? state.zoneById.get(id) : undefined
    },
    get loaded(): boolean {
      return state.loaded
    },
    /** Whether the controller answered GET /api/alerts (an older one has no alerts). */
    get alertsLoaded(): boolean {
      return state.alertsLoaded
    },
    get error(): string | null {
      return state.error
    },
    get conn(): ConnState {
      return state.conn
    },
    get tz(): string {
      return state.tz
    },
    setTz(tz: string | undefined): void {
      if (tz) state.tz = tz
    },
    /** Replaces every node (a snapshot from GET /api/nodes). */
    setSnapshot(list: readonly NodeView[], zones: readonly Zone[]): void {
      nodes.clear()
      for (const n of list) nodes.set(n.id, n)
      state.zones = [...zones]
      state.zoneById = new Map(zones.map((z) => [z.id, z]))
      state.loaded = true
      state.error = null
      events.emit('error', null)
      events.emit('nodes', null)
    },
    /** Inserts or replaces the given nodes (a `nodes` stream event). */
    upsertNodes(list: readonly NodeView[]): void {
      if (list.length === 0) return
      const changed = new Set<string>()
      for (const n of list) {
        nodes.set(n.id, n)
        changed.add(n.id)
      }
      events.emit('nodes', changed)
    },
    addPlays(list: readonly Play[]): void {
      if (list.length > 0) events.emit('plays', [...list])
    },
    addCommands(list: readonly Command[]): void {
      if (list.length > 0) events.emit('commands', [...list])
    },
    addIncidents(list: readonly Incident[]): void {
      if (list.length > 0) events.emit('incidents', [...list])
    },
    /** Replaces the open alerts (GET /api/alerts?state=open). */
    setAlerts(list: readonly Alert[]): void {
      openAlerts.clear()
      for (const a of list) if (!a.resolvedAt) openAlerts.set(a.id, a)
      state.alertsLoaded = true
      events.emit('alerts', null)
    },
    /** Applies changed alerts (an `alerts` stream event or an answer to ack / resolve). */
    upsertAlerts(list: readonly Alert[]): void {
      if (list.length === 0) return
      for (const a of list) {
        if (a.resolvedAt) openAlerts.delete(a.id)
        else openAlerts.set(a.id, a)
      }
      events.emit('alerts', [...list])
    },
    setConn(conn: ConnState): void {
      if (conn === state.conn) return
      state.conn = conn
      events.emit('conn', conn)
    },
    setError(message: string): void {
      state.error = message
      events.emit('error', message)
    },
  }
}

/** The store. */
export type Store = ReturnType<typeof createStore>
