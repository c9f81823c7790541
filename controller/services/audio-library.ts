import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import {
  DELIVERY_FORMAT,
  isAudioError,
  normaliseAndTranscode,
  probeAudio,
  sha256File,
} from '../../audio/index.js'
import type { AudioRecord } from '../db/repositories/audio-repository.js'
import type { Repositories } from '../db/repositories/index.js'
import { ChorusError } from '../errors.js'
import type { EventBus } from '../events.js'
import type { Clock } from '../time.js'

/** Transcodes running at once: the controller has few cores and ffmpeg uses one each. */
const MAX_PARALLEL_TRANSCODES = 1

/** Messages for audio errors, phrased for the person who uploaded the file. */
const AUDIO_REASONS: Record<string, string> = {
  AUDIO_EMPTY: 'the file is empty or contains no sound that can be decoded',
  AUDIO_NOT_AUDIO: 'the file is not an audio recording',
  AUDIO_DECODE: 'the file is damaged and cannot be decoded',
  AUDIO_PROBE: 'the file could not be read as audio',
  AUDIO_TIMEOUT: 'processing the file took too long',
}

/**
 * The audio library: an upload is probed, loudness-normalised, transcoded to the delivery
 * format, hashed and stored content-addressed at `<dataDir>/audio/<sha256>.mp3`. The same
 * recording uploaded twice is stored once (matched by the hash of the uploaded bytes, and
 * again by the hash of the delivered file).
 */
export function createAudioLibrary(deps: {
  repos: Repositories
  bus: EventBus
  clock: Clock
  log: Logger
  ffmpegPath: string
  dataDir: string
  maxAudioMinutes: number
}) {
  const log = deps.log.child({ module: 'audio-library' })
  const storeDir = join(deps.dataDir, 'audio')
  const tmpDir = join(deps.dataDir, 'tmp')
  mkdirSync(storeDir, { recursive: true })
  mkdirSync(tmpDir, { recursive: true })
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

  async function process(upload: { file: string; originalName: string | null; title: string }) {
    const sourceSha256 = await sha256File(upload.file)
    const known = deps.repos.audio.getBySource(sourceSha256)
    if (known) return { record: known, duplicate: true }
    const probe = await probeAudio(deps.ffmpegPath, upload.file, { timeoutMs: 120_000 })
    if (probe.durationMs > deps.maxAudioMinutes * 60_000) {
      throw new ChorusError(
        'AUDIO_INVALID',
        `the recording is ${Math.round(probe.durationMs / 60_000)} minutes long; the limit is ${deps.maxAudioMinutes}`,
      )
    }
    const out = join(tmpDir, `out-${randomBytes(8).toString('hex')}.${DELIVERY_FORMAT.extension}`)
    try {
      const result = await slot(() =>
        normaliseAndTranscode(deps.ffmpegPath, upload.file, out, {
          timeoutMs: Math.max(120_000, probe.durationMs * 2),
        }),
      )
      const sha256 = await sha256File(out)
      const same = deps.repos.audio.getBySha256(sha256)
      if (same) return { record: same, duplicate: true }
      await rename(out, filePath(sha256))
      const record: AudioRecord = {
        id: `a-${randomBytes(6).toString('hex')}`,
        sha256,
        sourceSha256,
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
      }
      deps.repos.audio.insert(record)
      deps.bus.emit('audioAdded', { audioId: record.id })
      log.info({ audioId: record.id, sha256, durationMs: record.durationMs }, 'audio added')
      return { record, duplicate: false }
    } finally {
      await rm(out, { force: true })
    }
  }

  /**
   * Ingests an uploaded file (already on disk at `upload.file`, which is always removed).
   * Throws AUDIO_INVALID with a reason for anything that is not usable audio.
   */
  async function ingest(upload: { file: string; originalName: string | null; title: string }) {
    try {
      return await process(upload)
    } catch (err) {
      if (isAudioError(err)) {
        throw new ChorusError('AUDIO_INVALID', AUDIO_REASONS[err.code] ?? err.message, {
          cause: err,
          details: { code: err.code },
        })
      }
      throw err
    } finally {
      rmSync(upload.file, { force: true })
    }
  }

  return { ingest, filePath, scratchPath, storeDir }
}

/** The audio library service. */
export type AudioLibrary = ReturnType<typeof createAudioLibrary>
