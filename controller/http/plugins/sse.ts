import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { StreamSchema } from '../../../contract/index.js'
import type { Principal } from '../../accounts/roles.js'
import { ChorusError } from '../../errors.js'
import type { ControllerEvents } from '../../platform/events.js'
import type { CancelTimer } from '../../platform/time.js'
import { STREAM_ROWS, type StreamScope } from './sse-table.js'

/** How long changes are gathered before one SSE message carries them all. */
export const SSE_COALESCE_MS = 300

/** How often an idle stream gets a comment, so proxies keep it open. */
export const SSE_HEARTBEAT_MS = 15_000

/**
 * GET /api/stream: server-sent events for the web UI. One hub listens on the bus and, every
 * SSE_COALESCE_MS at most, sends `nodes` (the changed nodes' views) and `plays` (new play
 * events) to every open stream, so 435 nodes coming online at once make a few messages, not
 * thousands.
 */
export async function ssePlugin(app: FastifyInstance): Promise<void> {
  const { bus, services, clock } = app.deps
  /** Each open stream, and how to check that its session or token still gives the same access. */
  const streams = new Map<
    ServerResponse,
    { recheck: () => Principal | null; access: string; zones: string[] }
  >()
  const clients = {
    get size() {
      return streams.size
    },
    [Symbol.iterator]: () => streams.keys(),
  }
  /** Keys gathered per row since the last flush (sse-table.ts). */
  const pending = STREAM_ROWS.map((row) => ({ row, keys: [] as unknown[] }))
  let timer: CancelTimer | null = null

  function broadcast(event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const res of clients) res.write(frame)
  }

  const scope: StreamScope = {
    nodeZone: (nodeId) =>
      nodeId === null ? null : (services.directory.zoneOfNode(nodeId) ?? null),
    reaches: (zones, zoneId) =>
      zones.length === 0 || (zoneId !== null && services.accounts.inScope(zones, zoneId)),
  }

  /**
   * Sends each stream only the items of its zones: whole to streams not limited to zones, and
   * what `keep` returns (the item, a narrowed copy, or null) to the others; nothing when none is
   * left.
   */
  function broadcastScoped<T>(
    event: string,
    items: T[],
    keep: (zones: string[], item: T, scope: StreamScope) => T | null,
  ): void {
    let whole: string | null = null
    for (const [res, s] of streams) {
      if (s.zones.length === 0) {
        whole ??= `event: ${event}\ndata: ${JSON.stringify(items)}\n\n`
        res.write(whole)
        continue
      }
      const mine = items.flatMap((i) => keep(s.zones, i, scope) ?? [])
      if (mine.length > 0) res.write(`event: ${event}\ndata: ${JSON.stringify(mine)}\n\n`)
    }
  }

  function flush(): void {
    timer = null
    for (const p of pending) {
      const { row, keys } = p
      if (keys.length === 0) continue
      p.keys = []
      if (clients.size === 0) continue
      const items = row.items(row.distinct ? [...new Set(keys)] : keys, { services })
      if (row.keep) broadcastScoped(row.event, items, row.keep)
      else broadcast(row.event, items)
    }
  }

  const schedule = () => {
    timer ??= clock.after(SSE_COALESCE_MS, flush)
  }
  // One listener per (row, bus event), kept so that preClose removes exactly these.
  const listeners = pending.flatMap((p) =>
    Object.entries(p.row.sources).map(([event, keyOf]) => {
      const listener = (...args: unknown[]) => {
        const key = (keyOf as (...a: unknown[]) => unknown)(...args)
        if (key === null) return // the row does not stream this one
        p.keys.push(key)
        schedule()
      }
      return { event: event as keyof ControllerEvents, listener }
    }),
  )
  const on = bus.on.bind(bus) as (e: keyof ControllerEvents, f: (...a: unknown[]) => void) => void
  const off = bus.off.bind(bus) as (e: keyof ControllerEvents, f: (...a: unknown[]) => void) => void
  for (const { event, listener } of listeners) on(event, listener)
  /**
   * Ends every stream whose session or token no longer works (logout, expiry, idle timeout, a
   * disabled or deleted user, a revoked token) or now gives other roles or zones. The browser
   * reconnects and is asked to log in again, or gets a stream with its present access.
   */
  function recheckStreams(): void {
    for (const [res, s] of streams) {
      const p = s.recheck()
      if (p === null || accessOf(p) !== s.access) {
        streams.delete(res)
        res.end()
      }
    }
  }
  const onAccess = () => recheckStreams()
  bus.on('accessChanged', onAccess)
  const stopHeartbeat = clock.every(SSE_HEARTBEAT_MS, () => {
    recheckStreams()
    for (const res of clients) res.write(': keep-alive\n\n')
  })

  // preClose, not onClose: the server waits for open connections before onClose runs, and an
  // SSE stream never ends by itself.
  app.addHook('preClose', async () => {
    for (const { event, listener } of listeners) off(event, listener)
    bus.off('accessChanged', onAccess)
    stopHeartbeat()
    timer?.()
    for (const res of clients) res.end()
    streams.clear()
  })

  app.get('/api/stream', { schema: { response: { 200: StreamSchema } } }, (req, reply) => {
    const p = req.principal
    const recheck = req.recheck
    if (p === null || recheck === null)
      throw new ChorusError('FORBIDDEN', 'log in to open a stream')
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    res.write('retry: 3000\n\n')
    streams.set(res, { recheck, access: accessOf(p), zones: p.kind === 'user' ? p.zones : [] })
    req.raw.on('close', () => streams.delete(res))
  })
}

/** Who a principal is and what it may reach, as one comparable string. */
function accessOf(p: Principal): string {
  if (p.kind === 'node') return `node:${p.nodeId}`
  return JSON.stringify([p.userId, [...p.roles].sort(), [...p.zones].sort()])
}
