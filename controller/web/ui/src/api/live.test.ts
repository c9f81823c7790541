import { describe, expect, it } from 'vitest'
import { createLive, type EventSourceLike, parseItems, REOPEN_MS } from './live'

// The live hub's bookkeeping. The browser's EventSource is not available in Node: a small
// stand-in records listeners and lets the test play the browser's part (open, events, errors).

class FakeSource implements EventSourceLike {
  readyState = 0
  onopen: ((ev: Event) => unknown) | null = null
  onerror: ((ev: Event) => unknown) | null = null
  closed = false
  listeners = new Map<string, ((ev: MessageEvent<string>) => void)[]>()
  addEventListener(type: string, fn: (ev: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn])
  }
  close(): void {
    this.closed = true
    this.readyState = 2
  }
  emit(type: string, data: unknown): void {
    for (const fn of this.listeners.get(type) ?? [])
      fn({ data: JSON.stringify(data) } as MessageEvent<string>)
  }
  open(): void {
    this.readyState = 1
    this.onopen?.(new Event('open'))
  }
}

function hub() {
  const sources: FakeSource[] = []
  const timers: { fn: () => void; ms: number }[] = []
  const live = createLive({
    url: '../api/stream',
    open: () => {
      const s = new FakeSource()
      sources.push(s)
      return s
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => timers.splice(0),
  })
  return { live, sources, timers }
}

describe('web UI live stream', () => {
  it('opens on the first subscription and delivers parsed items until unsubscribed', () => {
    const { live, sources } = hub()
    expect(sources).toHaveLength(0)
    const got: unknown[][] = []
    const off = live.on('nodes', (items) => got.push(items))
    expect(sources).toHaveLength(1)
    const s = sources[0] as FakeSource
    s.open()
    expect(live.state.value).toBe('live')
    s.emit('nodes', [{ id: 'n1' }])
    // A subscription made while open listens on the same connection.
    const plays: unknown[][] = []
    live.on('plays', (items) => plays.push(items))
    s.emit('plays', [1, 2])
    expect(sources).toHaveLength(1)
    off()
    s.emit('nodes', [{ id: 'n2' }])
    expect(got).toEqual([[{ id: 'n1' }]])
    expect(plays).toEqual([[1, 2]])
  })

  it('reopens a refused stream after a pause, and tells subscribers to resync', () => {
    const { live, sources, timers } = hub()
    let resyncs = 0
    live.on('resync', () => resyncs++)
    live.on('nodes', () => undefined)
    ;(sources[0] as FakeSource).open()
    expect(resyncs).toBe(0)
    // A network blip: EventSource retries by itself (still CONNECTING); nothing to do.
    const first = sources[0] as FakeSource
    first.readyState = 0
    first.onerror?.(new Event('error'))
    expect(live.state.value).toBe('down')
    expect(timers).toHaveLength(0)
    // Refused outright (HTTP error): closed, reopened after REOPEN_MS.
    first.readyState = 2
    first.onerror?.(new Event('error'))
    expect(first.closed).toBe(true)
    expect(timers.map((t) => t.ms)).toEqual([REOPEN_MS])
    timers[0]?.fn()
    expect(sources).toHaveLength(2)
    ;(sources[1] as FakeSource).open()
    expect(resyncs).toBe(1)
    live.stop()
    expect((sources[1] as FakeSource).closed).toBe(true)
    expect(live.state.value).toBe('idle')
  })

  it('ignores data that is not a JSON array', () => {
    expect(parseItems('[1]')).toEqual([1])
    expect(parseItems('{"a":1}')).toEqual([])
    expect(parseItems('not json')).toEqual([])
  })
})
