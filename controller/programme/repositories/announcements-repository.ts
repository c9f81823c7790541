import type { Db } from '../../platform/index.js'

/** An urgent announcement (插播) as stored. */
export interface AnnouncementRecord {
  id: string
  title: string
  audioId: string
  zones: string[]
  level: 'urgent' | 'emergency'
  priority: number
  at: string
  date: string
  latestStartAt: string
  drill: boolean
  createdBy: string | null
  createdAt: string
  cancelledAt: string | null
}

/** One targeted node's delivery of an announcement. */
export interface DeliveryRecord {
  announcementId: string
  nodeId: string
  planVersion: string
  sentAt: string | null
  ackedAt: string | null
}

interface AnnouncementRow {
  id: string
  title: string
  audio_id: string
  zones_json: string
  level: 'urgent' | 'emergency'
  priority: number
  at: string
  date: string
  latest_start_at: string
  drill: number
  created_by: string | null
  created_at: string
  cancelled_at: string | null
}

interface DeliveryRow {
  announcement_id: string
  node_id: string
  plan_version: string
  sent_at: string | null
  acked_at: string | null
}

const toAnnouncement = (r: AnnouncementRow): AnnouncementRecord => ({
  id: r.id,
  title: r.title,
  audioId: r.audio_id,
  zones: JSON.parse(r.zones_json) as string[],
  level: r.level,
  priority: r.priority,
  at: r.at,
  date: r.date,
  latestStartAt: r.latest_start_at,
  drill: r.drill === 1,
  createdBy: r.created_by,
  createdAt: r.created_at,
  cancelledAt: r.cancelled_at,
})

const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  announcementId: r.announcement_id,
  nodeId: r.node_id,
  planVersion: r.plan_version,
  sentAt: r.sent_at,
  ackedAt: r.acked_at,
})

/** Announcements and their per-node delivery. */
export function createAnnouncementsRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO announcements (id, title, audio_id, zones_json, level,
    priority, at, date, latest_start_at, drill, created_by, created_at, cancelled_at) VALUES
    (@id, @title, @audioId, @zonesJson, @level, @priority, @at, @date, @latestStartAt, @drill,
    @createdBy, @createdAt, @cancelledAt)`)
  const byId = db.prepare<[string], AnnouncementRow>('SELECT * FROM announcements WHERE id = ?')
  const range = db.prepare<[string, string], AnnouncementRow>(`SELECT * FROM announcements
    WHERE date >= ? AND date <= ? ORDER BY at, id`)
  const recent = db.prepare<[number], AnnouncementRow>(
    'SELECT * FROM announcements ORDER BY at DESC, id LIMIT ?',
  )
  const cancel = db.prepare(
    'UPDATE announcements SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL',
  )
  const usingAudio = db.prepare<[string, string], AnnouncementRow>(`SELECT * FROM announcements
    WHERE audio_id = ? AND date >= ? AND cancelled_at IS NULL ORDER BY at`)
  const upsertDelivery = db.prepare(`INSERT INTO announcement_deliveries (announcement_id,
    node_id, plan_version) VALUES (?, ?, ?) ON CONFLICT (announcement_id, node_id) DO UPDATE
    SET plan_version = excluded.plan_version WHERE acked_at IS NULL`)
  const putDeliveries = db.transaction((rows: [string, string, string][]) => {
    for (const [a, n, v] of rows) upsertDelivery.run(a, n, v)
  })
  const markSent = db.prepare(`UPDATE announcement_deliveries SET sent_at = ? WHERE node_id = ?
    AND plan_version = ? AND sent_at IS NULL`)
  const ack = db.prepare(`UPDATE announcement_deliveries SET acked_at = ? WHERE node_id = ?
    AND plan_version = ? AND acked_at IS NULL RETURNING announcement_id`)
  const deliveries = db.prepare<[string], DeliveryRow>(
    'SELECT * FROM announcement_deliveries WHERE announcement_id = ? ORDER BY node_id',
  )
  return {
    insert(a: AnnouncementRecord): void {
      insert.run({ ...a, zonesJson: JSON.stringify(a.zones), drill: a.drill ? 1 : 0 })
    },
    get: (id: string): AnnouncementRecord | null => {
      const r = byId.get(id)
      return r ? toAnnouncement(r) : null
    },
    /** Announcements filed under dates from..to (cancelled ones included), by instant. */
    between: (from: string, to: string): AnnouncementRecord[] =>
      range.all(from, to).map(toAnnouncement),
    /** The latest announcements, newest first. */
    recent: (limit: number): AnnouncementRecord[] => recent.all(limit).map(toAnnouncement),
    /** Marks it cancelled; false when it already was (or does not exist). */
    cancel: (id: string, at: string): boolean => cancel.run(at, id).changes === 1,
    /** Announcements on or after `from` not cancelled that play this audio. */
    usingAudio: (audioId: string, from: string): AnnouncementRecord[] =>
      usingAudio.all(audioId, from).map(toAnnouncement),
    /** Records (announcement, node, plan version) triples; acknowledged ones are left alone. */
    putDeliveries: (rows: [string, string, string][]): void => {
      putDeliveries(rows)
    },
    /** The plan carrying these deliveries was published to the node. */
    markSent: (nodeId: string, planVersion: string, at: string): void => {
      markSent.run(at, nodeId, planVersion)
    },
    /** The node applied `planVersion`: acknowledges what it carried; returns the announcement ids. */
    acknowledge: (nodeId: string, planVersion: string, at: string): string[] =>
      (ack.all(at, nodeId, planVersion) as { announcement_id: string }[]).map(
        (r) => r.announcement_id,
      ),
    deliveries: (announcementId: string): DeliveryRecord[] =>
      deliveries.all(announcementId).map(toDelivery),
  }
}

/** The announcements repository. */
export type AnnouncementsRepository = ReturnType<typeof createAnnouncementsRepository>
