import type { Api } from './api.js'
import { normalizeNode } from './node-state.js'
import type { Announcement, ProgrammeChange } from './programme-types.js'
import type { Store } from './store.js'
import type { Alert, Command, Incident, NodeView, Play } from './types.js'

/** How long to wait for the stream before loading the node list without it. */
const OPEN_GRACE_MS = 2000
/** Retry delay when the stream was refused outright (EventSource gives up on HTTP errors). */
const REOPEN_MS = 5000

/**
 * Keeps the store live: opens `EventSource('api/stream')`, loads the node list and the open
 * alerts once the stream is open (so no change falls between the snapshot and the stream),
 * upserts `nodes` and `alerts` events and forwards `plays`, `commands` and `incidents`. After a
 * reconnect it reloads, since SSE does not replay what was missed.
 */
export function startLive(opts: {
  store: Store
  api: Api
  url?: string
  /** Called when the stream is refused outright (e.g. the session ended: a 401). */
  onRefused?: () => void
  /** Whether to load the open alerts (only technicians may read them; default true). */
  alerts?: boolean
  /** Which streamed nodes to keep (a user limited to zones gets only theirs). */
  accept?: (node: NodeView) => boolean
}) {
  const { store, api } = opts
  let source: EventSource | null = null
  let opened = false
  // Snapshot-bound events that arrive while a snapshot loads are applied after it.
  let queued: (() => void)[] | null = null
  let generation = 0
  let reopenTimer: ReturnType<typeof setTimeout> | null = null
  const graceTimer = setTimeout(() => {
    if (!store.loaded) void loadSnapshot()
  }, OPEN_GRACE_MS)

  async function loadSnapshot(): Promise<void> {
    const mine = ++generation
    queued = []
    try {
      const [list, zones, health, alerts] = await Promise.all([
        api.nodes(),
        api.zones(),
        // The time zone and the alerts are extras: the node list works without them.
        api.health().catch(() => null),
        opts.alerts === false ? null : api.alerts('open').catch(() => null),
      ])
      if (mine !== generation) return
      store.setTz(health?.tz)
      store.setSnapshot(list, zones)
      if (alerts) store.setAlerts(alerts)
      for (const apply of queued) apply()
    } catch (err) {
      if (mine === generation) store.setError(err instanceof Error ? err.message : String(err))
    } finally {
      if (mine === generation) queued = null
    }
  }

  function parse<T>(data: string): T[] {
    try {
      const value: unknown = JSON.parse(data)
      return Array.isArray(value) ? (value as T[]) : []
    } catch {
      return []
    }
  }

  function on<T>(es: EventSource, event: string, apply: (list: T[]) => void, wait = false): void {
    es.addEventListener(event, (e) => {
      const list = parse<T>((e as MessageEvent<string>).data)
      if (wait && queued) queued.push(() => apply(list))
      else apply(list)
    })
  }

  function open(): void {
    reopenTimer = null
    store.setConn('connecting')
    const es = new EventSource(opts.url ?? 'api/stream')
    source = es
    es.onopen = () => {
      store.setConn('live')
      clearTimeout(graceTimer)
      void loadSnapshot()
      if (opened) store.emit('resync')
      opened = true
    }
    es.onerror = () => {
      store.setConn('down')
      if (es.readyState === EventSource.CLOSED && source === es) {
        es.close()
        opts.onRefused?.()
        reopenTimer = setTimeout(open, REOPEN_MS)
      }
    }
    on<NodeView>(
      es,
      'nodes',
      (list) => {
        const kept = opts.accept ? list.filter(opts.accept) : list
        store.upsertNodes(kept.map(normalizeNode))
      },
      true,
    )
    on<Alert>(es, 'alerts', (list) => store.upsertAlerts(list), true)
    on<Play>(es, 'plays', (list) => store.addPlays(list))
    on<Command>(es, 'commands', (list) => store.addCommands(list))
    on<Incident>(es, 'incidents', (list) => store.addIncidents(list))
    // Programme pages (issue 3): forwarded as they come; the pages refetch what they show.
    on<Announcement>(es, 'announcements', (list) => store.emit('announcements', list))
    on<ProgrammeChange>(es, 'programme', (list) => store.emit('programme', list))
    on<string>(es, 'audio', (list) => store.emit('audio', list))
    on<string>(es, 'readiness', (list) => store.emit('readiness', list))
  }

  open()
  return {
    /** Reloads the node list now (the retry button). */
    reload: () => loadSnapshot(),
    stop(): void {
      clearTimeout(graceTimer)
      if (reopenTimer) clearTimeout(reopenTimer)
      source?.close()
      source = null
    },
  }
}

/** The live connection. */
export type Live = ReturnType<typeof startLive>
