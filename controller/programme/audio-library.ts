import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { chmod, mkdtemp, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import {
  ACCEPTED_FORMATS_TEXT,
  DELIVERY_FORMAT,
  isAudioError,
  normaliseAndTranscode,
  probeAudio,
  sha256File,
} from '../../audio/index.js'
import { planDates } from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import { type AudioUsage, audioUsage, describeUsage, isUnused } from './audio-usage.js'
import type { PlanInputRepos } from './programme-inputs.js'
import type { AudioFilter, AudioRecord } from './repositories/audio-repository.js'

/** Transcodes running at once: the controller has few cores and ffmpeg uses one each. */
const MAX_PARALLEL_TRANSCODES = 1

/** Messages for audio errors, phrased for the person who uploaded the file. */
const AUDIO_REASONS: Record<string, string> = {
  AUDIO_EMPTY: 'the file is empty or contains no sound that can be decoded',
  AUDIO_NOT_AUDIO: 'the file is not an audio recording',
  AUDIO_FORMAT: `the file is not an audio recording in a format Chorus takes (${ACCEPTED_FORMATS_TEXT})`,
  AUDIO_DECODE: 'the file is damaged and cannot be decoded',
  AUDIO_PROBE: 'the file could not be read as audio',
  AUDIO_TIMEOUT: 'processing the file took too long',
}

/** What ffmpeg says about a container cut short (MP4/M4A keep their index at the end). */
const INCOMPLETE = /moov atom not found|Truncated|Unexpected end of file|partial file/i

/**
 * The audio library: an upload is probed, loudness-normalised, transcoded to the delivery
 * format, hashed and stored content-addressed at `<dataDir>/audio/<sha256>.mp3`. The same
 * recording uploaded twice is stored once (matched by the hash of the uploaded bytes, and
 * again by the hash of the delivered file).
 */
export function createAudioLibrary(deps: {
  repos: PlanInputRepos
  bus: EventBus
  clock: Clock
  log: Logger
  ffmpegPath: string
  dataDir: string
  maxAudioMinutes: number
  tz: string
  horizonDays: number
  /** Called after an edit that can change plans (a title shows in plan items without one). */
}) {
  const log = deps.log.child({ module: 'audio-library' })
  const storeDir = join(deps.dataDir, 'audio')
  const tmpDir = join(deps.dataDir, 'tmp')
  mkdirSync(storeDir, { recursive: true, mode: 0o700 })
  mkdirSync(tmpDir, { recursive: true, mode: 0o700 })
  let running = 0
  const waiting: (() => void)[] = []

  async function slot<T>(fn: () => Promise<T>): Promise<T> {
    if (running >= MAX_PARALLEL_TRANSCODES) await new Promise<void>((r) => waiting.push(r))
    running++
    try {
      return await fn()
    } finally {
      running--
      waiting.shift()?.()
    }
  }

  function filePath(sha256: string): string {
    return join(storeDir, `${sha256}.${DELIVERY_FORMAT.extension}`)
  }

  /** A fresh path in the library's scratch folder for an upload to stream into. */
  function scratchPath(): string {
    return join(tmpDir, `upload-${randomBytes(8).toString('hex')}`)
  }

  /**
   * Probes, normalises and stores one upload. ffmpeg runs in a fresh private directory (0700)
   * holding only the upload, with that directory as its working directory; its demuxer is chosen
   * from the file's first bytes and only the `file` protocol is allowed (audio/input-format.ts),
   * so a playlist dressed as audio cannot make it read anything else.
   */
  async function process(upload: Upload) {
    const sourceSha256 = await sha256File(upload.file)
    const known = deps.repos.audio.getBySource(sourceSha256)
    if (known) return { record: known, duplicate: true }
    const job = await mkdtemp(join(tmpDir, 'job-'))
    try {
      const input = join(job, 'input')
      await rename(upload.file, input)
      return await transcodeAndStore(
        upload,
        input,
        join(job, `output.${DELIVERY_FORMAT.extension}`),
        {
          sourceSha256,
          cwd: job,
        },
      )
    } finally {
      await rm(job, { recursive: true, force: true })
    }
  }

  async function transcodeAndStore(
    upload: Upload,
    input: string,
    out: string,
    job: { sourceSha256: string; cwd: string },
  ) {
    const probe = await probeAudio(deps.ffmpegPath, input, { timeoutMs: 120_000, cwd: job.cwd })
    if (probe.durationMs > deps.maxAudioMinutes * 60_000) {
      throw new ChorusError(
        'AUDIO_INVALID',
        `the recording is ${Math.round(probe.durationMs / 60_000)} minutes long; the limit is ${deps.maxAudioMinutes}`,
      )
    }
    const result = await slot(() =>
      normaliseAndTranscode(deps.ffmpegPath, input, out, {
        timeoutMs: Math.max(120_000, probe.durationMs * 2),
        cwd: job.cwd,
      }),
    )
    const sha256 = await sha256File(out)
    const same = deps.repos.audio.getBySha256(sha256)
    if (same) return { record: same, duplicate: true }
    await rename(out, filePath(sha256))
    await chmod(filePath(sha256), 0o600)
    const record: AudioRecord = {
      id: `a-${randomBytes(6).toString('hex')}`,
      sha256,
      sourceSha256: job.sourceSha256,
      title: upload.title,
      originalName: upload.originalName,
      durationMs: result.durationMs,
      sizeBytes: statSync(filePath(sha256)).size,
      sourceCodec: probe.codec,
      loudnessBefore: Number.isFinite(result.before.integratedLufs)
        ? result.before.integratedLufs
        : null,
      loudnessAfter: Number.isFinite(result.after.integratedLufs)
        ? result.after.integratedLufs
        : null,
      silent: result.silent,
      createdAt: new Date(deps.clock.now()).toISOString(),
      columnId: upload.columnId ?? null,
      uploadedBy: upload.uploadedBy ?? null,
      updatedAt: null,
    }
    deps.repos.audio.insert(record)
    deps.bus.emit('audioAdded', { audioId: record.id })
    log.info({ audioId: record.id, sha256, durationMs: record.durationMs }, 'audio added')
    return { record, duplicate: false }
  }

  /**
   * Ingests an uploaded file (already on disk at `upload.file`, which is always removed).
   * Throws AUDIO_INVALID with a reason for anything that is not usable audio.
   */
  async function ingest(upload: Upload) {
    try {
      if (upload.columnId && !deps.repos.columns.get(upload.columnId)) {
        throw new ChorusError('COLUMN_INVALID', `unknown column: ${upload.columnId}`)
      }
      return await process(upload)
    } catch (err) {
      if (isAudioError(err)) {
        // A file cut off in transfer is not "not audio": say what the uploader can fix.
        const reason = INCOMPLETE.test(err.message)
          ? 'the file is incomplete: it was cut off before its end; upload it again'
          : (AUDIO_REASONS[err.code] ?? err.message)
        throw new ChorusError('AUDIO_INVALID', reason, {
          cause: err,
          details: { code: err.code },
        })
      }
      throw err
    } finally {
      rmSync(upload.file, { force: true })
    }
  }

  function get(id: string): AudioRecord {
    const a = deps.repos.audio.get(id)
    if (!a) throw new ChorusError('AUDIO_NOT_FOUND', `no audio ${id}`)
    return a
  }

  /** Where a recording is used by the current or future programme. */
  function usage(id: string): AudioUsage {
    get(id)
    return audioUsage(deps.repos, id, planDates(deps.clock.now(), deps.horizonDays, deps.tz))
  }

  /** Edits title and column; plans are refreshed, since untitled items show the audio's title. */
  async function update(
    id: string,
    patch: { title?: string; columnId?: string | null },
  ): Promise<AudioRecord> {
    const old = get(id)
    if (patch.columnId && !deps.repos.columns.get(patch.columnId)) {
      throw new ChorusError('COLUMN_INVALID', `unknown column: ${patch.columnId}`)
    }
    const next = {
      id,
      title: patch.title?.trim() || old.title,
      columnId: patch.columnId === undefined ? old.columnId : patch.columnId,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    }
    deps.repos.audio.update(next)
    deps.bus.emit('audioChanged', { audioId: id })
    if (next.title !== old.title) {
      // Untitled items show the audio's title in plans.
      deps.bus.emit('programmeChanged', {
        what: 'audio',
        dates: 'all',
        zones: 'all',
        reason: `audio ${id} renamed`,
      })
    }
    return get(id)
  }

  /**
   * Deletes a recording and its file, unless the current or future programme uses it: then
   * AUDIO_IN_USE (409) names the templates, dates and announcements (as `narrow` lets the
   * caller see them: a user limited to zones is told of other zones' uses only as a count).
   */
  async function remove(
    id: string,
    narrow: (u: AudioUsage) => AudioUsage = (u) => u,
  ): Promise<void> {
    const a = get(id)
    const used = usage(id)
    if (!isUnused(used)) {
      const told = narrow(used)
      throw new ChorusError('AUDIO_IN_USE', describeUsage(a.title, told), { details: told })
    }
    deps.repos.audio.delete(id)
    await rm(filePath(a.sha256), { force: true })
    log.info({ audioId: id, sha256: a.sha256 }, 'audio deleted')
    deps.bus.emit('audioChanged', { audioId: id })
  }

  return {
    ingest,
    filePath,
    scratchPath,
    storeDir,
    get,
    usage,
    update,
    remove,
    search: (f: AudioFilter) => deps.repos.audio.search(f),
  }
}

/** One upload to ingest. */
export interface Upload {
  /** Where the upload was streamed to (always removed afterwards). */
  file: string
  originalName: string | null
  title: string
  columnId?: string | null
  uploadedBy?: string | null
}

/** The audio library service. */
export type AudioLibrary = ReturnType<typeof createAudioLibrary>
