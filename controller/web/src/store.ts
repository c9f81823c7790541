import { createEmitter } from './emitter.js'
import type { NodeView, Play, Zone } from './types.js'

/** State of the live stream, shown in the header. */
export type ConnState = 'connecting' | 'live' | 'down'

/** What the store tells views. */
export interface StoreEvents extends Record<string, unknown[]> {
  /** Nodes changed: the ids, or null when the whole list was replaced. */
  nodes: [Set<string> | null]
  /** New play events arrived on the stream. */
  plays: [Play[]]
  conn: [ConnState]
  /** The stream reconnected: views reload what they show, since events may have been missed. */
  resync: []
  /** The node list could not be loaded (message), or loaded again (null). */
  error: [string | null]
}

/** The UI's shared state: every node by id, the zone tree, and the stream's state. */
export function createStore() {
  const events = createEmitter<StoreEvents>()
  const nodes = new Map<string, NodeView>()
  const state = {
    zones: [] as Zone[],
    loaded: false,
    error: null as string | null,
    conn: 'connecting' as ConnState,
  }

  return {
    nodes: nodes as ReadonlyMap<string, NodeView>,
    on: events.on,
    emit: events.emit,
    get zones(): readonly Zone[] {
      return state.zones
    },
    get loaded(): boolean {
      return state.loaded
    },
    get error(): string | null {
      return state.error
    },
    get conn(): ConnState {
      return state.conn
    },
    /** Replaces every node (a snapshot from GET /api/nodes). */
    setSnapshot(list: readonly NodeView[], zones: readonly Zone[]): void {
      nodes.clear()
      for (const n of list) nodes.set(n.id, n)
      state.zones = [...zones]
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
