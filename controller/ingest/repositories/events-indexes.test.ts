import { describe, expect, it } from 'vitest'
import { createTelemetryRepository } from '../../fleet/repositories/telemetry-repository.js'
import { type Db, openDatabase } from '../../platform/database.js'
import { createEventsRepository } from './events-repository.js'

/** `db` whose prepare() also records each SQL text, so that every query can be explained. */
function recording(db: Db): { db: Db; sql: Set<string> } {
  const sql = new Set<string>()
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'prepare') {
        return (text: string) => {
          sql.add(text)
          return target.prepare(text)
        }
      }
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { db: proxy, sql }
}

describe('events table indexes (migration 025)', () => {
  it('keeps the (node, id) key and only the indexes a query uses; no query scans the table', () => {
    const { db, sql } = recording(openDatabase(':memory:'))
    const events = createEventsRepository(db)
    createTelemetryRepository(db)
    // The paged list builds its SQL per filter: run every shape once so it is recorded.
    for (const nodeId of [null, 'n1']) {
      for (const zoneIds of [null, ['z1']]) {
        for (const type of [null, 'play.started']) {
          events.playsPage({ date: '2026-12-07', nodeId, zoneIds, type, limit: 10, offset: 0 })
        }
      }
    }
    // WITHOUT ROWID: the primary key (node_id, id) is the table itself, not a separate index.
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")
      .pluck()
      .all()
    expect(indexes.sort()).toEqual(['events_date_type', 'events_node_at', 'events_type_at'])
    const read = [...sql].filter((s) => /\bFROM events\b/.test(s))
    expect(read.length).toBeGreaterThanOrEqual(9)
    for (const text of read) {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${text}`)
        .all(...Array.from({ length: (text.match(/\?/g) ?? []).length }, () => 'x'))
        .map((r) => (r as { detail: string }).detail)
      const onEvents = plan.filter((d) => /^(SCAN|SEARCH) (events|e)\b/.test(d))
      expect(onEvents.length, text).toBeGreaterThan(0)
      for (const d of onEvents) expect(d, text).toMatch(/^SEARCH (events|e) USING/)
    }
    // A replayed event changes nothing: the primary key still refuses the second copy.
    const e = {
      nodeId: 'n1',
      id: 'ev-1',
      type: 'play.failed',
      at: '2026-12-07T08:00:00.000Z',
      date: '2026-12-07',
      itemId: '2026-12-07/a',
      reason: 'download',
      body: '{}',
      receivedAt: '2026-12-07T08:00:00.000Z',
    }
    expect(events.insertBatch([e, e]).length).toBe(1)
    expect(events.insertBatch([e]).length).toBe(0)
  })
})
