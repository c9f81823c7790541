import type { Db } from '../database.js'

/** A recording in the library, delivered as one content-addressed file. */
export interface AudioRecord {
  id: string
  sha256: string
  sourceSha256: string
  title: string
  originalName: string | null
  durationMs: number
  sizeBytes: number
  sourceCodec: string | null
  loudnessBefore: number | null
  loudnessAfter: number | null
  silent: boolean
  createdAt: string
}

interface AudioRow {
  id: string
  sha256: string
  source_sha256: string
  title: string
  original_name: string | null
  duration_ms: number
  size_bytes: number
  source_codec: string | null
  loudness_before: number | null
  loudness_after: number | null
  silent: number
  created_at: string
}

const toAudio = (r: AudioRow): AudioRecord => ({
  id: r.id,
  sha256: r.sha256,
  sourceSha256: r.source_sha256,
  title: r.title,
  originalName: r.original_name,
  durationMs: r.duration_ms,
  sizeBytes: r.size_bytes,
  sourceCodec: r.source_codec,
  loudnessBefore: r.loudness_before,
  loudnessAfter: r.loudness_after,
  silent: r.silent === 1,
  createdAt: r.created_at,
})

/** The audio library's metadata. */
export function createAudioRepository(db: Db) {
  const all = db.prepare<[], AudioRow>('SELECT * FROM audio ORDER BY created_at DESC, id')
  const byId = db.prepare<[string], AudioRow>('SELECT * FROM audio WHERE id = ?')
  const bySha = db.prepare<[string], AudioRow>('SELECT * FROM audio WHERE sha256 = ?')
  const bySource = db.prepare<[string], AudioRow>('SELECT * FROM audio WHERE source_sha256 = ?')
  const insert = db.prepare(`INSERT INTO audio (id, sha256, source_sha256, title, original_name,
    duration_ms, size_bytes, source_codec, loudness_before, loudness_after, silent, created_at)
    VALUES (@id, @sha256, @sourceSha256, @title, @originalName, @durationMs, @sizeBytes,
    @sourceCodec, @loudnessBefore, @loudnessAfter, @silent, @createdAt)`)
  const one = (r: AudioRow | undefined) => (r ? toAudio(r) : null)
  return {
    list: (): AudioRecord[] => all.all().map(toAudio),
    get: (id: string) => one(byId.get(id)),
    getBySha256: (sha: string) => one(bySha.get(sha)),
    getBySource: (sha: string) => one(bySource.get(sha)),
    insert(a: AudioRecord): void {
      insert.run({ ...a, silent: a.silent ? 1 : 0 })
    },
  }
}

/** The audio repository. */
export type AudioRepository = ReturnType<typeof createAudioRepository>
