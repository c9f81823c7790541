import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { StreamSchema } from '../../../contract/index.js'
import type { Principal } from '../../accounts/roles.js'
import { ChorusError } from '../../errors.js'
import type { PlayReported } from '../../platform/events.js'

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
  const { bus, services, repos } = app.deps
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
  const changedNodes = new Set<string>()
  const changedAlerts = new Set<string>()
  const changedCommands = new Set<string>()
  const changedIncidents = new Set<string>()
  // Programme (issue 3): announcement views, and notifications the editors' pages refetch on.
  const changedAnnouncements = new Set<string>()
  const changedAudio = new Set<string>()
  const readinessNodes = new Set<string>()
  let programme: { what: string; dates: string[] }[] = []
  let plays: PlayReported[] = []
  let timer: NodeJS.Timeout | null = null

  function broadcast(event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const res of clients) res.write(frame)
  }

  const nodeZone = (nodeId: string | null): string | null =>
    nodeId === null ? null : (repos.nodes.get(nodeId)?.zoneId ?? null)
  const reaches = (zones: string[], zoneId: string | null): boolean =>
    zones.length === 0 || (zoneId !== null && services.accounts.inScope(zones, zoneId))

  /**
   * Sends each stream only the items of its zones: whole to streams not limited to zones, and
   * what `keep` returns (the item, a narrowed copy, or null) to the others; nothing when none is
   * left.
   */
  function broadcastScoped<T>(
    event: string,
    items: T[],
    keep: (zones: string[], item: T) => T | null,
  ): void {
    let whole: string | null = null
    for (const [res, s] of streams) {
      if (s.zones.length === 0) {
        whole ??= `event: ${event}\ndata: ${JSON.stringify(items)}\n\n`
        res.write(whole)
        continue
      }
      const mine = items.flatMap((i) => keep(s.zones, i) ?? [])
      if (mine.length > 0) res.write(`event: ${event}\ndata: ${JSON.stringify(mine)}\n\n`)
    }
  }
  const byNode =
    <T>(nodeOf: (item: T) => string | null) =>
    (zones: string[], item: T): T | null =>
      reaches(zones, nodeZone(nodeOf(item))) ? item : null

  function flush(): void {
    timer = null
    if (clients.size === 0) {
      changedNodes.clear()
      changedAlerts.clear()
      changedCommands.clear()
      changedIncidents.clear()
      plays = []
      changedAnnouncements.clear()
      changedAudio.clear()
      readinessNodes.clear()
      programme = []
      return
    }
    if (changedAnnouncements.size > 0) {
      const views = [...changedAnnouncements].flatMap((id) => {
        try {
          return [services.announcements.get(id)]
        } catch {
          return []
        }
      })
      broadcast('announcements', views)
      changedAnnouncements.clear()
    }
    if (programme.length > 0) {
      broadcast('programme', programme)
      programme = []
    }
    if (changedAudio.size > 0) {
      broadcast('audio', [...changedAudio])
      changedAudio.clear()
    }
    if (readinessNodes.size > 0) {
      broadcastScoped(
        'readiness',
        [...readinessNodes],
        byNode((id) => id),
      )
      readinessNodes.clear()
    }
    if (changedNodes.size > 0) {
      broadcastScoped(
        'nodes',
        services.nodes.viewsOf(changedNodes),
        byNode((v) => v.id),
      )
      changedNodes.clear()
    }
    if (changedAlerts.size > 0) {
      const alerts = [...changedAlerts].flatMap((id) => repos.alerts.get(id) ?? [])
      broadcastScoped('alerts', alerts, (zones, a) =>
        reaches(zones, a.zoneId ?? nodeZone(a.nodeId)) ? a : null,
      )
      changedAlerts.clear()
    }
    if (changedCommands.size > 0) {
      broadcastScoped(
        'commands',
        [...changedCommands].flatMap((id) => repos.commands.get(id) ?? []),
        byNode((c) => c.nodeId),
      )
      changedCommands.clear()
    }
    if (changedIncidents.size > 0) {
      const all = repos.alerts.incidents(500)
      broadcastScoped(
        'incidents',
        all.filter((i) => changedIncidents.has(i.id)),
        (zones, i) => {
          if (reaches(zones, i.zoneId)) return i
          const nodeIds = i.nodeIds.filter((id) => reaches(zones, nodeZone(id)))
          return nodeIds.length > 0 ? { ...i, nodeIds } : null
        },
      )
      changedIncidents.clear()
    }
    if (plays.length > 0) {
      broadcastScoped(
        'plays',
        plays,
        byNode((p) => p.nodeId),
      )
      plays = []
    }
  }

  const schedule = () => {
    timer ??= setTimeout(flush, SSE_COALESCE_MS)
  }
  const onNode = ({ nodeId }: { nodeId: string }) => {
    changedNodes.add(nodeId)
    schedule()
  }
  const onPlay = (p: PlayReported) => {
    plays.push(p)
    schedule()
  }
  const track = (set: Set<string>) => (id: string) => {
    set.add(id)
    schedule()
  }
  const onAlert = ({ alertId }: { alertId: string }) => track(changedAlerts)(alertId)
  const onCommand = ({ commandId }: { commandId: string }) => track(changedCommands)(commandId)
  const onIncident = ({ incidentId }: { incidentId: string }) => track(changedIncidents)(incidentId)
  bus.on('nodeChanged', onNode)
  bus.on('playReported', onPlay)
  bus.on('alertChanged', onAlert)
  bus.on('commandChanged', onCommand)
  bus.on('incidentChanged', onIncident)
  const onAnnouncement = ({ announcementId }: { announcementId: string }) =>
    track(changedAnnouncements)(announcementId)
  const onAudio = ({ audioId }: { audioId: string }) => track(changedAudio)(audioId)
  const onReadiness = ({ nodeId }: { nodeId: string }) => track(readinessNodes)(nodeId)
  const onProgramme = (p: { what: string; dates: string[] }) => {
    programme.push(p)
    schedule()
  }
  bus.on('announcementChanged', onAnnouncement)
  bus.on('audioChanged', onAudio)
  bus.on('audioAdded', onAudio)
  bus.on('readinessChanged', onReadiness)
  bus.on('programmeChanged', onProgramme)
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
  const heartbeat = setInterval(() => {
    recheckStreams()
    for (const res of clients) res.write(': keep-alive\n\n')
  }, SSE_HEARTBEAT_MS)

  // preClose, not onClose: the server waits for open connections before onClose runs, and an
  // SSE stream never ends by itself.
  app.addHook('preClose', async () => {
    bus.off('nodeChanged', onNode)
    bus.off('playReported', onPlay)
    bus.off('alertChanged', onAlert)
    bus.off('commandChanged', onCommand)
    bus.off('incidentChanged', onIncident)
    bus.off('announcementChanged', onAnnouncement)
    bus.off('audioChanged', onAudio)
    bus.off('audioAdded', onAudio)
    bus.off('readinessChanged', onReadiness)
    bus.off('programmeChanged', onProgramme)
    bus.off('accessChanged', onAccess)
    clearInterval(heartbeat)
    if (timer) clearTimeout(timer)
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
