import { type InjectionKey, inject, onScopeDispose, readonly, ref } from 'vue'

// The live stream (`GET api/stream`, server-sent events) as one shared connection: pages
// subscribe to event names with `useLive` and are unsubscribed when they unmount. EventSource
// reconnects by itself after a network error; when the controller refuses the stream outright
// (an HTTP error closes it) this reopens it after a pause. After any reconnect, subscribers to
// `resync` hear about it: SSE does not replay what was missed, so they reload.

/** How long to wait before reopening a stream the controller refused. */
export const REOPEN_MS = 5000

/** The state shown in the header: connecting, live, or down (reconnecting). */
export type LiveState = 'idle' | 'connecting' | 'live' | 'down'

/** What the hub needs of the browser's EventSource (injectable for tests). */
export interface EventSourceLike {
  readyState: number
  onopen: ((ev: Event) => unknown) | null
  onerror: ((ev: Event) => unknown) | null
  addEventListener(type: string, fn: (ev: MessageEvent<string>) => void): void
  close(): void
}

type Handler = (items: unknown[]) => void

/** Parses an event's data: every stream event carries a JSON array. */
export function parseItems(data: string): unknown[] {
  try {
    const value: unknown = JSON.parse(data)
    return Array.isArray(value) ? value : []
  } catch {
    return []
  }
}

/** The shared live connection. Opened on the first subscription, closed by `stop()`. */
export function createLive(opts: {
  url: string
  open?: (url: string) => EventSourceLike
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (t: unknown) => void
  /** The controller refused the stream (e.g. the session ended: a 401); find out why. */
  onRefused?: () => void
}) {
  const open = opts.open ?? ((url: string) => new EventSource(url) as EventSourceLike)
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  const clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as number))
  const state = ref<LiveState>('idle')
  const handlers = new Map<string, Set<Handler>>()
  const listening = new Set<string>()
  let source: EventSourceLike | null = null
  let opened = false
  let timer: unknown = null

  function listen(es: EventSourceLike, event: string): void {
    es.addEventListener(event, (e) => {
      const items = parseItems(e.data)
      for (const fn of handlers.get(event) ?? []) fn(items)
    })
  }

  function connect(): void {
    timer = null
    state.value = 'connecting'
    const es = open(opts.url)
    source = es
    listening.clear()
    for (const event of handlers.keys()) {
      listen(es, event)
      listening.add(event)
    }
    es.onopen = () => {
      state.value = 'live'
      if (opened) for (const fn of handlers.get('resync') ?? []) fn([])
      opened = true
    }
    es.onerror = () => {
      if (source !== es) return
      state.value = 'down'
      // CLOSED (2): refused with an HTTP error; EventSource will not retry by itself.
      if (es.readyState === 2) {
        es.close()
        timer = setTimer(connect, REOPEN_MS)
        opts.onRefused?.()
      }
    }
  }

  return {
    state: readonly(state),
    /** Calls `fn` with each event's items; returns the unsubscribe. */
    on(event: string, fn: Handler): () => void {
      let set = handlers.get(event)
      if (!set) {
        set = new Set()
        handlers.set(event, set)
      }
      set.add(fn)
      if (source && !listening.has(event)) {
        listen(source, event)
        listening.add(event)
      }
      if (!source && !timer) connect()
      return () => {
        set.delete(fn)
      }
    },
    /** Closes the stream (logout, lost session); the next subscription opens it again. */
    stop(): void {
      if (timer) clearTimer(timer)
      timer = null
      source?.close()
      source = null
      opened = false
      state.value = 'idle'
    },
  }
}

/** The live connection. */
export type Live = ReturnType<typeof createLive>

export const LIVE: InjectionKey<Live> = Symbol('chorus.live')

/**
 * Subscribes the calling component (or effect scope) to stream events, unsubscribed when it
 * goes away. `'resync'` fires after a reconnect: reload what the page shows.
 */
export function useLive(
  events: readonly string[],
  handler: (event: string, items: unknown[]) => void,
) {
  const live = inject(LIVE)
  if (!live) throw new Error('useLive() outside the Chorus app')
  const offs = events.map((e) => live.on(e, (items) => handler(e, items)))
  onScopeDispose(() => {
    for (const off of offs) off()
  })
  return live.state
}
