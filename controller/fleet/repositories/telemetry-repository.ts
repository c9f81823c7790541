import type { Db } from '../../platform/index.js'

/** One stored telemetry sample. */
export interface TelemetrySample {
  nodeId: string
  at: string
  receivedAt: string
  volume: number | null
  cacheBytes: number | null
  freeDiskBytes: number | null
  clockOffsetMs: number | null
  memRssBytes: number | null
  outboxDepth: number | null
  playing: boolean
  audioOutput: string | null
  lastError: string | null
  agentVersion: string | null
  uptimeSec: number | null
}

type Row = Record<string, string | number | null>

const toSample = (r: Row): TelemetrySample => ({
  nodeId: r.node_id as string,
  at: r.at as string,
  receivedAt: r.received_at as string,
  volume: r.volume as number | null,
  cacheBytes: r.cache_bytes as number | null,
  freeDiskBytes: r.free_disk_bytes as number | null,
  clockOffsetMs: r.clock_offset_ms as number | null,
  memRssBytes: r.mem_rss_bytes as number | null,
  outboxDepth: r.outbox_depth as number | null,
  playing: r.playing === 1,
  audioOutput: r.audio_output as string | null,
  lastError: r.last_error as string | null,
  agentVersion: r.agent_version as string | null,
  uptimeSec: r.uptime_sec as number | null,
})

/** Telemetry samples (for 24 h charts) and presence history queries. */
export function createTelemetryRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO telemetry (node_id, at, received_at, volume, cache_bytes,
    free_disk_bytes, clock_offset_ms, mem_rss_bytes, outbox_depth, playing, audio_output,
    last_error, agent_version, uptime_sec) VALUES (@nodeId, @at, @receivedAt, @volume,
    @cacheBytes, @freeDiskBytes, @clockOffsetMs, @memRssBytes, @outboxDepth, @playing,
    @audioOutput, @lastError, @agentVersion, @uptimeSec)`)
  const insertMany = db.transaction((samples: TelemetrySample[]) => {
    for (const s of samples) insert.run({ ...s, playing: s.playing ? 1 : 0 })
  })
  const since = db.prepare<[string, string], Row>(
    'SELECT * FROM telemetry WHERE node_id = ? AND received_at >= ? ORDER BY received_at',
  )
  const latest = db.prepare<[], Row>(`SELECT t.* FROM telemetry t JOIN (SELECT node_id,
    max(received_at) m FROM telemetry GROUP BY node_id) l ON l.node_id = t.node_id
    AND l.m = t.received_at`)
  const prune = db.prepare('DELETE FROM telemetry WHERE received_at < ?')
  const transitions = db.prepare<[string, string], Row>(`SELECT from_state, to_state, at, reason
    FROM presence_transitions WHERE node_id = ? AND at >= ? ORDER BY id`)
  const firstOnline = db.prepare<[string], Row>(`SELECT at FROM presence_transitions
    WHERE node_id = ? AND to_state = 'online' ORDER BY id LIMIT 1`)
  const lastBefore = db.prepare<[string, string], Row>(`SELECT to_state FROM presence_transitions
    WHERE node_id = ? AND at < ? ORDER BY id DESC LIMIT 1`)
  const recentStarts = db.prepare<[string], Row>(`SELECT node_id, body_json FROM (SELECT node_id,
    body_json, ROW_NUMBER() OVER (PARTITION BY node_id ORDER BY at DESC) rn FROM events
    WHERE type = 'play.started' AND at >= ?) WHERE rn <= 10`)
  return {
    insertMany: (samples: TelemetrySample[]): void => {
      insertMany(samples)
    },
    since: (nodeId: string, from: string): TelemetrySample[] =>
      since.all(nodeId, from).map(toSample),
    latestPerNode: (): TelemetrySample[] => latest.all().map(toSample),
    prune: (before: string): number => prune.run(before).changes,
    transitions: (nodeId: string, from: string) =>
      transitions.all(nodeId, from).map((r) => ({
        from: r.from_state as string,
        to: r.to_state as string,
        at: r.at as string,
        reason: r.reason as string,
      })),
    /** When the node first came online (commissioning), or null if it never did. */
    firstOnline: (nodeId: string): string | null =>
      (firstOnline.get(nodeId)?.at as string | undefined) ?? null,
    stateBefore: (nodeId: string, at: string): string | null =>
      (lastBefore.get(nodeId, at)?.to_state as string | undefined) ?? null,
    /** The last ten start deviations per node since `from`, newest first. */
    recentDeviations(from: string): Map<string, number[]> {
      const out = new Map<string, number[]>()
      for (const r of recentStarts.all(from)) {
        const body = JSON.parse(r.body_json as string) as {
          deviationMs?: number
          makeGood?: boolean
        }
        const dev = body.deviationMs
        // A make-good's deviation is from its gap, not from the segment's instant.
        if (typeof dev !== 'number' || body.makeGood === true) continue
        const list = out.get(r.node_id as string) ?? []
        list.push(dev)
        out.set(r.node_id as string, list)
      }
      return out
    },
  }
}

/** The telemetry repository. */
export type TelemetryRepository = ReturnType<typeof createTelemetryRepository>
