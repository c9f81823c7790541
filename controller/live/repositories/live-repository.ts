import type { Db } from '../../platform/database.js'

/** One stored live session (instants as ISO strings). */
export interface LiveRecord {
  id: string
  kind: 'voice' | 'relay'
  zones: string[]
  createdBy: string
  /** `pcm` (written by the caller) or the relayed URL. */
  source: string
  openedAt: string
  playAt: string
  endedAt: string | null
  endReason: string | null
  durationMs: number | null
  nodeCount: number
  sounding: string[]
  recordingPath: string
  recordingBytes: number
}

interface Row {
  id: string
  kind: 'voice' | 'relay'
  zones_json: string
  created_by: string
  source: string
  opened_at: string
  play_at: string
  ended_at: string | null
  end_reason: string | null
  duration_ms: number | null
  node_count: number
  sounding_json: string
  recording_path: string
  recording_bytes: number
}

const toRecord = (r: Row): LiveRecord => ({
  id: r.id,
  kind: r.kind,
  zones: JSON.parse(r.zones_json) as string[],
  createdBy: r.created_by,
  source: r.source,
  openedAt: r.opened_at,
  playAt: r.play_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
  durationMs: r.duration_ms,
  nodeCount: r.node_count,
  sounding: JSON.parse(r.sounding_json) as string[],
  recordingPath: r.recording_path,
  recordingBytes: r.recording_bytes,
})

/** The record of live sessions (append, then one update when the session ends). */
export function createLiveRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO live_sessions (id, kind, zones_json, created_by, source,
    opened_at, play_at, node_count, recording_path) VALUES (@id, @kind, @zones, @createdBy,
    @source, @openedAt, @playAt, @nodeCount, @recordingPath)`)
  const finish = db.prepare(`UPDATE live_sessions SET ended_at = @endedAt, end_reason = @endReason,
    duration_ms = @durationMs, sounding_json = @sounding, recording_bytes = @recordingBytes
    WHERE id = @id`)
  const get = db.prepare<[string], Row>('SELECT * FROM live_sessions WHERE id = ?')
  const list = db.prepare<[number, number], Row>(
    'SELECT * FROM live_sessions ORDER BY opened_at DESC, id LIMIT ? OFFSET ?',
  )
  // Sessions whose zones all lie in the given set (a user limited to zones): filtered here,
  // before the page is cut, so that pages are full. A district-wide session ([]) is nobody's.
  const listWithin = db.prepare<[{ within: string; limit: number; offset: number }], Row>(
    `SELECT * FROM live_sessions WHERE zones_json != '[]' AND NOT EXISTS (
       SELECT 1 FROM json_each(live_sessions.zones_json) AS z
       WHERE z.value NOT IN (SELECT value FROM json_each(@within)))
     ORDER BY opened_at DESC, id LIMIT @limit OFFSET @offset`,
  )
  const open = db.prepare<[], Row>('SELECT * FROM live_sessions WHERE ended_at IS NULL')
  return {
    insert(r: LiveRecord): void {
      insert.run({ ...r, zones: JSON.stringify(r.zones) })
    },
    finish(r: {
      id: string
      endedAt: string
      endReason: string
      durationMs: number
      sounding: string[]
      recordingBytes: number
    }): void {
      finish.run({ ...r, sounding: JSON.stringify(r.sounding) })
    },
    get: (id: string): LiveRecord | null => {
      const row = get.get(id)
      return row ? toRecord(row) : null
    },
    /** Stored sessions, newest first; with `within`, only those wholly inside those zone ids. */
    list: (limit: number, offset: number, within?: readonly string[]): LiveRecord[] =>
      (within
        ? listWithin.all({ within: JSON.stringify(within), limit, offset })
        : list.all(limit, offset)
      ).map(toRecord),
    /** Sessions a previous run left open (it stopped or crashed during them). */
    unfinished: (): LiveRecord[] => open.all().map(toRecord),
  }
}

/** The live sessions repository. */
export type LiveRepository = ReturnType<typeof createLiveRepository>
