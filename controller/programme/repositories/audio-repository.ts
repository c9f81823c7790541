import type { Db } from '../../platform/index.js'

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
  /** Column (栏目) it belongs to. */
  columnId: string | null
  /** Who uploaded it (free text until user accounts exist). */
  uploadedBy: string | null
  updatedAt: string | null
}

/** A recording to insert: the editable metadata may be left out. */
export type NewAudio = Omit<AudioRecord, 'columnId' | 'uploadedBy' | 'updatedAt'> &
  Partial<Pick<AudioRecord, 'columnId' | 'uploadedBy' | 'updatedAt'>>

/** Filters of the library list; every one is optional. */
export interface AudioFilter {
  /** Case-insensitive substring of the title or the original file name. */
  q?: string
  /** Column id; the empty string means "no column". */
  columnId?: string
  silent?: boolean
  limit?: number
  offset?: number
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
  column_id: string | null
  uploaded_by: string | null
  updated_at: string | null
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
  columnId: r.column_id,
  uploadedBy: r.uploaded_by,
  updatedAt: r.updated_at,
})

/** `%` and `_` match literally in a LIKE pattern escaped with `\`. */
function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** The audio library's metadata. */
export function createAudioRepository(db: Db) {
  const all = db.prepare<[], AudioRow>('SELECT * FROM audio ORDER BY created_at DESC, id')
  const byId = db.prepare<[string], AudioRow>('SELECT * FROM audio WHERE id = ?')
  const bySha = db.prepare<[string], AudioRow>('SELECT * FROM audio WHERE sha256 = ?')
  const bySource = db.prepare<[string], AudioRow>('SELECT * FROM audio WHERE source_sha256 = ?')
  const insert = db.prepare(`INSERT INTO audio (id, sha256, source_sha256, title, original_name,
    duration_ms, size_bytes, source_codec, loudness_before, loudness_after, silent, created_at,
    column_id, uploaded_by, updated_at)
    VALUES (@id, @sha256, @sourceSha256, @title, @originalName, @durationMs, @sizeBytes,
    @sourceCodec, @loudnessBefore, @loudnessAfter, @silent, @createdAt, @columnId, @uploadedBy,
    @updatedAt)`)
  const update = db.prepare(`UPDATE audio SET title = @title, column_id = @columnId,
    updated_at = @updatedAt WHERE id = @id`)
  const remove = db.prepare('DELETE FROM audio WHERE id = ?')
  const clearColumn = db.prepare('UPDATE audio SET column_id = NULL WHERE column_id = ?')
  const one = (r: AudioRow | undefined) => (r ? toAudio(r) : null)
  return {
    list: (): AudioRecord[] => all.all().map(toAudio),
    /** The library filtered and paged, newest first. */
    search(f: AudioFilter): AudioRecord[] {
      const where: string[] = []
      const params: (string | number)[] = []
      if (f.q) {
        where.push("(title LIKE ? ESCAPE '\\' OR original_name LIKE ? ESCAPE '\\')")
        params.push(likeContains(f.q), likeContains(f.q))
      }
      if (f.columnId !== undefined) {
        if (f.columnId === '') where.push('column_id IS NULL')
        else {
          where.push('column_id = ?')
          params.push(f.columnId)
        }
      }
      if (f.silent !== undefined) {
        where.push('silent = ?')
        params.push(f.silent ? 1 : 0)
      }
      const sql = `SELECT * FROM audio ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id LIMIT ? OFFSET ?`
      params.push(f.limit ?? -1, f.offset ?? 0)
      return db
        .prepare<(string | number)[], AudioRow>(sql)
        .all(...params)
        .map(toAudio)
    },
    get: (id: string) => one(byId.get(id)),
    getBySha256: (sha: string) => one(bySha.get(sha)),
    getBySource: (sha: string) => one(bySource.get(sha)),
    /** Stores a new recording; the editable metadata defaults to none. */
    insert(a: NewAudio): void {
      const meta = { columnId: null, uploadedBy: null, updatedAt: null }
      insert.run({ ...meta, ...a, silent: a.silent ? 1 : 0 })
    },
    /** Updates the editable metadata. */
    update(a: { id: string; title: string; columnId: string | null; updatedAt: string }): void {
      update.run(a)
    },
    /** Deletes the record; returns false when there was none. */
    delete: (id: string): boolean => remove.run(id).changes === 1,
    /** Takes a column off every recording in it (the column is being deleted). */
    clearColumn: (columnId: string): number => clearColumn.run(columnId).changes,
  }
}

/** The audio repository. */
export type AudioRepository = ReturnType<typeof createAudioRepository>
