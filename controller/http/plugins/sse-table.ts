import type { AppDeps } from '../../deps.js'
import type { ControllerEvents } from '../../platform/events.js'
import { announcementFor } from '../../programme/announcement-scope.js'
import type { AnnouncementView } from '../../programme/announcements.js'

type EventName = keyof ControllerEvents

/** What a row's items may be narrowed with: zone scoping for streams limited to zones. */
export interface StreamScope {
  /** The zone of a node, or null (unknown node, or none given). */
  nodeZone(nodeId: string | null): string | null
  /** Whether a stream limited to `zones` (none: all) reaches `zoneId`. */
  reaches(zones: string[], zoneId: string | null): boolean
}

/**
 * One SSE message kind: the bus events that feed it (each giving a key), how the keys gathered
 * during one coalescing window become the items sent, and how a stream limited to zones narrows
 * them (`keep`: the item, a narrowed copy, or null). Without `keep` every stream gets the whole
 * list, even an empty one.
 */
export interface StreamRow<K = unknown, T = unknown> {
  event: string
  sources: { [E in EventName]?: (...args: ControllerEvents[E]) => K }
  /** Whether a key gathered twice in one window is sent once (ids) or each time (reports). */
  distinct: boolean
  items(keys: K[], deps: Pick<AppDeps, 'services'>): T[]
  keep?: (zones: string[], item: T, scope: StreamScope) => T | null
}

const row = <K, T>(r: StreamRow<K, T>) => r as unknown as StreamRow
const byNode =
  <T>(nodeOf: (item: T) => string | null) =>
  (zones: string[], item: T, s: StreamScope): T | null =>
    s.reaches(zones, s.nodeZone(nodeOf(item))) ? item : null

/** The live stream's messages, in the order one flush sends them. */
export const STREAM_ROWS: readonly StreamRow[] = [
  row({
    event: 'announcements',
    sources: { announcementChanged: ({ announcementId }) => announcementId },
    distinct: true,
    items: (ids: string[], d) =>
      ids.flatMap((id) => {
        try {
          return [d.services.announcements.get(id)]
        } catch {
          return []
        }
      }),
    keep: (zones, a: AnnouncementView, s) =>
      announcementFor(a, zones, (sc, z) => s.reaches([...sc], z)),
  }),
  row({
    event: 'programme',
    // The web UI refetches templates, orders, the calendar and columns; announcements and audio
    // have streams of their own. `all` dates reach the UI as [] (every date).
    sources: {
      programmeChanged: (p) =>
        p.what === 'announcement' || p.what === 'audio'
          ? null
          : { what: p.what, dates: p.dates === 'all' ? [] : [...p.dates] },
    },
    distinct: false,
    items: (changes) => changes,
  }),
  row({
    event: 'audio',
    sources: { audioChanged: ({ audioId }) => audioId, audioAdded: ({ audioId }) => audioId },
    distinct: true,
    items: (ids) => ids,
  }),
  row({
    event: 'readiness',
    sources: { readinessChanged: ({ nodeId }) => nodeId },
    distinct: true,
    items: (ids) => ids,
    keep: byNode((id: string) => id),
  }),
  row({
    event: 'nodes',
    sources: { nodeChanged: ({ nodeId }) => nodeId },
    distinct: true,
    items: (ids: string[], d) => d.services.nodes.viewsOf(ids),
    keep: byNode((v: { id: string }) => v.id),
  }),
  row({
    event: 'alerts',
    sources: { alertChanged: ({ alertId }) => alertId },
    distinct: true,
    items: (ids: string[], d) => ids.flatMap((id) => d.services.records.alert(id) ?? []),
    keep: (zones, a, s) => (s.reaches(zones, a.zoneId ?? s.nodeZone(a.nodeId)) ? a : null),
  }),
  row({
    event: 'commands',
    sources: { commandChanged: ({ commandId }) => commandId },
    distinct: true,
    items: (ids: string[], d) => ids.flatMap((id) => d.services.records.command(id) ?? []),
    keep: byNode((c: { nodeId: string }) => c.nodeId),
  }),
  row({
    event: 'incidents',
    sources: { incidentChanged: ({ incidentId }) => incidentId },
    distinct: true,
    items: (ids: string[], d) => {
      const wanted = new Set(ids)
      return d.services.records.incidents(500).filter((i) => wanted.has(i.id))
    },
    keep: (zones, i, s) => {
      if (s.reaches(zones, i.zoneId)) return i
      const nodeIds = i.nodeIds.filter((id) => s.reaches(zones, s.nodeZone(id)))
      return nodeIds.length > 0 ? { ...i, nodeIds } : null
    },
  }),
  row({
    event: 'plays',
    sources: { playReported: (p) => p },
    distinct: false,
    items: (plays) => plays,
    keep: byNode((p: { nodeId: string }) => p.nodeId),
  }),
]

/**
 * Bus events the stream does not turn into a message of its own, and why; every other bus event
 * feeds exactly one row (sse-table.test.ts).
 */
export const NOT_STREAMED: Readonly<Partial<Record<EventName, string>>> = {
  accessChanged: 'ends the streams whose access changed (sse.ts, recheckStreams)',
  transition: 'between services; fleet-monitor emits nodeChanged with it',
  planApplied: 'between services; event-ingest emits nodeChanged with it',
  commandAcked: 'between services; the command service then emits commandChanged',
  messageRejected: 'between services (node health, alerts)',
  planPublicationChanged: 'between services (the planFailed alert streams as an alert)',
  zonesChanged: 'not streamed (as before the table): the zone pages fetch the tree',
}
