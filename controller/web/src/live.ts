import type { Api } from './api.js'
import type { Store } from './store.js'
import type { NodeView, Play } from './types.js'

/** How long to wait for the stream before loading the node list without it. */
const OPEN_GRACE_MS = 2000
/** Retry delay when the stream was refused outright (EventSource gives up on HTTP errors). */
const REOPEN_MS = 5000

/**
 * Keeps the store live: opens `EventSource('api/stream')`, loads the node list once the stream
 * is open (so no change falls between the snapshot and the stream), upserts `nodes` events and
 * forwards `plays`. After a reconnect it reloads, since SSE does not replay what was missed.
 */
export function startLive(opts: { store: Store; api: Api; url?: string }) {
  const { store, api } = opts
  let source: EventSource | null = null
  let opened = false
  let queued: NodeView[][] | null = null
  let generation = 0
  let reopenTimer: ReturnType<typeof setTimeout> | null = null
  const graceTimer = setTimeout(() => {
    if (!store.loaded) void loadSnapshot()
  }, OPEN_GRACE_MS)

  async function loadSnapshot(): Promise<void> {
    const mine = ++generation
    queued = []
    try {
      const [list, zones] = await Promise.all([api.nodes(), api.zones()])
      if (mine !== generation) return
      store.setSnapshot(list, zones)
      for (const batch of queued) store.upsertNodes(batch)
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
        reopenTimer = setTimeout(open, REOPEN_MS)
      }
    }
    es.addEventListener('nodes', (e) => {
      const list = parse<NodeView>((e as MessageEvent<string>).data)
      if (queued) queued.push(list)
      else store.upsertNodes(list)
    })
    es.addEventListener('plays', (e) => {
      store.addPlays(parse<Play>((e as MessageEvent<string>).data))
    })
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
