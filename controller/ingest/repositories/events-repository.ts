import type { Db } from '../../platform/index.js'

/** One start as stored: node, item, deviation and what kind of start it was. */
export interface StartRow {
  nodeId: string
  itemId: string
  deviationMs: number
  /** A make-good (its deviation is from its gap, not the segment's instant). */
  makeGood: boolean
  /** A segment joined in progress after an announcement. */
  resumed: boolean
  drill: boolean
}

/** One agent event ready to store. */
export interface EventRecord {
  nodeId: string
  id: string
  type: string
  at: string
  date: string | null
  itemId: string | null
  reason: string | null
  body: string
  receivedAt: string
}

/** A play report as the API returns it. */
export interface PlayRow {
  nodeId: string
  eventId: string
  itemId: string | null
  type: string
  at: string
  reason: string | null
  body: Record<string, unknown>
}

/** Filters and page of a date's play events. */
export interface PlaysQuery {
  date: string
  nodeId: string | null
  /** Nodes now in these zones (null: any). */
  zoneIds: readonly string[] | null
  /** One event type (`play.finished`…); null: every play event. */
  type: string | null
  limit: number
  offset: number
}

/** Agent events, stored idempotently in batches. */
export function createEventsRepository(db: Db) {
  const insert = db.prepare(`INSERT OR IGNORE INTO events (node_id, id, type, at, date, item_id,
    reason, body_json, received_at) VALUES (@nodeId, @id, @type, @at, @date, @itemId, @reason,
    @body, @receivedAt)`)
  const insertBatch = db.transaction(
    (batch: EventRecord[], within?: (fresh: EventRecord[]) => void) => {
      const fresh: EventRecord[] = []
      for (const e of batch) if (insert.run(e).changes === 1) fresh.push(e)
      within?.(fresh)
      return fresh
    },
  )
  const plays = db.prepare<[string], Record<string, string | null>>(`SELECT node_id, id, item_id,
    type, at, reason, body_json FROM events WHERE date = ? AND type >= 'play.'
    AND type < 'play/' ORDER BY at, node_id`)
  const ofItem = db.prepare<[string, string], Record<string, string | null>>(`SELECT node_id, id,
    item_id, type, at, reason, body_json FROM events WHERE date = ? AND item_id = ?
    AND type >= 'play.' AND type < 'play/' ORDER BY at, node_id`)
  const recent = db.prepare<[string, number], Record<string, string | null>>(`SELECT node_id, id,
    item_id, type, at, reason, body_json FROM events WHERE node_id = ? AND type >= 'play.'
    AND type < 'play/' ORDER BY at DESC LIMIT ?`)
  const starts = db.prepare<
    [string],
    {
      node_id: string
      item_id: string
      dev: number
      mg: number | null
      off: number | null
      drill: number | null
    }
  >(`SELECT node_id, item_id, json_extract(body_json, '$.deviationMs') AS dev,
    json_extract(body_json, '$.makeGood') AS mg, json_extract(body_json, '$.offsetMs') AS off,
    json_extract(body_json, '$.drill') AS drill
    FROM events WHERE date = ? AND type = 'play.started' AND item_id IS NOT NULL`)
  const refusalHistory = db.prepare<[string], Record<string, string | null>>(`SELECT node_id,
    type, at, body_json FROM events WHERE type IN ('plan.rejected', 'cmd.rejected',
    'plan.applied') AND at >= ? ORDER BY at`)
  const toRow = (r: Record<string, string | null>): PlayRow => ({
    nodeId: r.node_id as string,
    eventId: r.id as string,
    itemId: r.item_id ?? null,
    type: r.type as string,
    at: r.at as string,
    reason: r.reason ?? null,
    body: JSON.parse(r.body_json as string) as Record<string, unknown>,
  })
  /** A play as the API returns it: the event's own fields, then the stored columns. */
  const toPlay = (r: Record<string, string | null>) => {
    const { body, ...row } = toRow(r)
    return { ...body, ...row }
  }
  return {
    /** A node's latest play events, newest first, as the API returns them. */
    recentPlays: (nodeId: string, limit: number) => recent.all(nodeId, limit).map(toPlay),
    /**
     * Stores a batch in one transaction; returns the events not seen before. `within` runs inside
     * the same transaction with those events (its writes commit or roll back with them).
     */
    insertBatch: (batch: EventRecord[], within?: (fresh: EventRecord[]) => void): EventRecord[] =>
      insertBatch(batch, within),
    /** Play events of one item (every node), oldest first. */
    playsOfItem: (date: string, itemId: string): PlayRow[] => ofItem.all(date, itemId).map(toRow),
    playsOn: (date: string): PlayRow[] => plays.all(date).map(toRow),
    /** The starts of items of `date` with their deviation (index events_date_type). */
    startsOn: (date: string): StartRow[] =>
      starts
        .all(date)
        .filter((r) => typeof r.dev === 'number')
        .map((r) => ({
          nodeId: r.node_id,
          itemId: r.item_id,
          deviationMs: r.dev,
          makeGood: r.mg === 1,
          resumed: typeof r.off === 'number' && r.off > 0,
          drill: r.drill === 1,
        })),
    /** Play events of items of `date`, oldest first, as the API returns them. */
    playViewsOn: (date: string) => plays.all(date).map(toPlay),
    /**
     * One page of a date's play events, oldest first, filtered by node, zones (of the node now)
     * and type, with the count of all matches (index events_date_type; migration 025).
     */
    playsPage(q: PlaysQuery): { items: ReturnType<typeof toPlay>[]; total: number } {
      const where = ['e.date = ?', "e.type >= 'play.'", "e.type < 'play/'"]
      const params: (string | number)[] = [q.date]
      if (q.nodeId !== null) {
        where.push('e.node_id = ?')
        params.push(q.nodeId)
      }
      if (q.zoneIds !== null) {
        if (q.zoneIds.length === 0) return { items: [], total: 0 }
        const marks = q.zoneIds.map(() => '?').join(', ')
        where.push(`e.node_id IN (SELECT id FROM nodes WHERE zone_id IN (${marks}))`)
        params.push(...q.zoneIds)
      }
      if (q.type !== null) {
        where.push('e.type = ?')
        params.push(q.type)
      }
      const cond = where.join(' AND ')
      const rows = db
        .prepare<unknown[], Record<string, string | null>>(`SELECT e.node_id, e.id, e.item_id,
          e.type, e.at, e.reason, e.body_json FROM events e WHERE ${cond}
          ORDER BY e.at, e.node_id LIMIT ? OFFSET ?`)
        .all(...params, q.limit, q.offset)
      const total = db
        .prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM events e WHERE ${cond}`)
        .get(...params)
      return { items: rows.map(toPlay), total: total?.n ?? 0 }
    },
    /** Refusals and plan applications since `from` (ISO), oldest first (node health at start). */
    refusalHistory: (from: string) =>
      refusalHistory.all(from).map((r) => ({
        nodeId: r.node_id as string,
        type: r.type as 'plan.rejected' | 'cmd.rejected' | 'plan.applied',
        at: r.at as string,
        body: JSON.parse(r.body_json as string) as Record<string, unknown>,
      })),
  }
}

/** The events repository. */
export type EventsRepository = ReturnType<typeof createEventsRepository>
