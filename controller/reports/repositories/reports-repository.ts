import type { Db } from '../../platform/index.js'

/** A presence change of a node, for deciding whether it was offline at an instant. */
export interface PresenceChange {
  nodeId: string
  to: 'online' | 'offline'
  at: string
}

/** Reads for proof-of-play reports, and the cache of finished days' totals. */
export function createReportsRepository(db: Db) {
  const before = db.prepare<[string], { node_id: string; to_state: string; at: string }>(`
    SELECT p.node_id, p.to_state, p.at FROM presence_transitions p
    WHERE p.id = (SELECT q.id FROM presence_transitions q WHERE q.node_id = p.node_id
      AND q.at < ? ORDER BY q.at DESC, q.id DESC LIMIT 1)`)
  const within = db.prepare<[string, string], { node_id: string; to_state: string; at: string }>(
    `SELECT node_id, to_state, at FROM presence_transitions WHERE at >= ? AND at < ?
     ORDER BY at, id`,
  )
  const cached = db.prepare<[string, string], { date: string; totals_json: string }>(
    'SELECT date, totals_json FROM report_days WHERE date >= ? AND date <= ?',
  )
  const putCached = db.prepare(`INSERT INTO report_days (date, totals_json, computed_at)
    VALUES (?, ?, ?) ON CONFLICT (date) DO UPDATE SET totals_json = excluded.totals_json,
    computed_at = excluded.computed_at`)
  const dropCached = db.prepare('DELETE FROM report_days WHERE date = ?')
  const toChange = (r: { node_id: string; to_state: string; at: string }): PresenceChange => ({
    nodeId: r.node_id,
    to: r.to_state === 'online' ? 'online' : 'offline',
    at: r.at,
  })
  return {
    /**
     * Presence changes that matter for [from, to): each node's last change before `from`, then
     * every change inside the window, in time order (instants as stored: ISO UTC).
     */
    presence: (from: string, to: string): PresenceChange[] => [
      ...before.all(from).map(toChange),
      ...within.all(from, to).map(toChange),
    ],
    /** Cached totals of finished days, by date. */
    cachedDays<T>(from: string, to: string): Map<string, T> {
      return new Map(cached.all(from, to).map((r) => [r.date, JSON.parse(r.totals_json) as T]))
    },
    cacheDay(date: string, totals: unknown, at: string): void {
      putCached.run(date, JSON.stringify(totals), at)
    },
    /** A late event arrived for `date`: its cached totals are stale. */
    invalidateDay: (date: string): void => {
      dropCached.run(date)
    },
  }
}

/** The reports repository. */
export type ReportsRepository = ReturnType<typeof createReportsRepository>
