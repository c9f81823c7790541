/**
 * The fleet simulator's audio output (SIMULATION ONLY: never used by a real node). Hundreds of
 * agents share one process, so forking one ffmpeg per agent at the instant would measure the
 * simulator, not the fleet. Instead each audio file is decoded once per process (by content: the
 * cache names files by sha256) and every simulated node plays the shared PCM through a sink with
 * the two-step contract of `audio/sinks/types.ts`:
 *
 * - `prepare(file)` waits for the shared decode (done once, ahead of the instant);
 * - `start(at)` models a sound card fed ahead of time: the first sample comes out when the node's
 *   own clock reads `at`, or at once if the node only handed the audio over after that (a late
 *   node is late here too). The output then consumes the PCM in real time on the true clock.
 *
 * Every first sample is stamped on the TRUE clock (this process's, which is the controller's),
 * not the node's: a node whose clock is wrong, or whose estimate of the controller's clock is,
 * shows up as deviation. That is what the fleet's figures report.
 */
import { basename } from 'node:path'
import {
  AudioError,
  type PlayOptions,
  type PlayResult,
  type Prepared,
  runFfmpeg,
  type Sink,
  type Started,
} from '../../audio/index.js'

/** Sample rate of the shared PCM (mono, signed 16-bit). */
export const SIM_SAMPLE_RATE = 16_000

/** One decoded file, shared by every simulated node. */
export interface SharedPcm {
  samples: Int16Array
  durationMs: number
  /** Level of the whole file, dBFS (mono mix); -120 for silence. */
  rmsDb: number
  peakDb: number
}

/** The process-wide store of decoded audio. */
export interface SimAudio {
  /** The PCM of `file`, decoded on first use; files with the same name (sha256) share it. */
  pcm(file: string): Promise<SharedPcm>
  /** Files decoded and bytes of PCM held (for the simulator's memory figures). */
  stats(): { files: number; bytes: number; decodes: number }
}

/** Creates the shared store; `ffmpegPath` decodes each distinct file once. */
export function createSimAudio(ffmpegPath: string): SimAudio {
  const decoded = new Map<string, Promise<SharedPcm>>()
  let decodes = 0
  let bytes = 0
  async function decode(file: string): Promise<SharedPcm> {
    decodes++
    const args = ['-v', 'error', '-i', `file:${file}`, '-map', '0:a:0', '-ac', '1']
    const run = await runFfmpeg(
      ffmpegPath,
      [...args, '-ar', String(SIM_SAMPLE_RATE), '-f', 's16le', '-c:a', 'pcm_s16le', 'pipe:1'],
      { stdout: 'pipe', timeoutMs: 60_000 },
    )
    if (run.code !== 0 || !run.stdout) {
      throw new AudioError('AUDIO_DECODE', `cannot decode "${file}" (exit ${run.code})`)
    }
    const out = run.stdout
    const samples = new Int16Array(Math.floor(out.length / 2))
    Buffer.from(samples.buffer).set(out.subarray(0, samples.byteLength))
    bytes += samples.byteLength
    return { samples, durationMs: (samples.length / SIM_SAMPLE_RATE) * 1000, ...levelOf(samples) }
  }
  return {
    pcm(file) {
      const key = basename(file)
      let entry = decoded.get(key)
      if (!entry) {
        entry = decode(file)
        decoded.set(key, entry)
        // A failed decode is tried again by the next play, not remembered.
        entry.catch(() => decoded.delete(key))
      }
      return entry
    },
    stats: () => ({ files: decoded.size, bytes, decodes }),
  }
}

/** What a simulated sink records of each first sample, on the true clock. */
export interface FirstSample {
  /** The playback's name (the player's: item id with `/` as `_`). */
  name: string
  /** The instant asked for, on the node's clock. */
  at: number
  /** When the first sample came out, true clock (epoch ms, fractional). */
  trueAt: number
  /** How far the node's clock (its estimate of the controller's) was ahead of the true one. */
  clockErrorMs: number
  /** How long after the node-clock instant the audio was handed over (0 when in time). */
  handoverLateMs: number
}

/** Dependencies of one node's simulated sink. */
export interface SimSinkDeps {
  audio: SimAudio
  /** The node's clock, the one `start(at)` instants are on. */
  now: () => number
  /** The true clock; default `performance.timeOrigin + performance.now()`. */
  trueNow?: () => number
  /** Told of every first sample. */
  onFirstSample?: (stamp: FirstSample) => void
}

/** Creates one simulated node's sink (spec `sim`). */
export function createSimSink(deps: SimSinkDeps): Sink {
  const trueNow = deps.trueNow ?? (() => performance.timeOrigin + performance.now())
  const sink: Sink = {
    spec: 'sim',
    async prepare(file, opts) {
      if (opts.signal?.aborted) throw abortError(opts.signal.reason)
      const pcm = await deps.audio.pcm(file)
      if (opts.signal?.aborted) throw abortError(opts.signal.reason)
      return prepared(pcm, opts)
    },
    async play(file, opts) {
      const p = await sink.prepare(file, opts)
      return p.start(deps.now()).done
    },
  }

  function prepared(pcm: SharedPcm, opts: PlayOptions): Prepared {
    const offsetMs = Math.min(opts.offsetMs ?? 0, pcm.durationMs)
    const lengthMs = pcm.durationMs - offsetMs
    const gainDb = volumeDb(opts.volume)
    let started = false
    let stop: ((reason: unknown) => void) | undefined
    let abortedBy: unknown
    const onAbort = (): void => result.abort(opts.signal?.reason)
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    const result: Prepared = {
      durationMs: lengthMs,
      start(at): Started {
        if (started) throw new Error('this playback was already started')
        started = true
        // The sound card was fed at this moment: the first sample comes out when the node's clock
        // reads `at`, or now if that is already past. Both are put on the true clock.
        const calledTrue = trueNow()
        const nodeAhead = deps.now() - calledTrue
        const releaseTrue = Math.max(at - nodeAhead, calledTrue)
        const startedAt = releaseTrue + nodeAhead
        let onFirst: (ms: number) => void = () => undefined
        let failFirst: (err: unknown) => void = () => undefined
        const firstSampleAt = new Promise<number>((res, rej) => {
          onFirst = res
          failFirst = rej
        })
        const done = new Promise<PlayResult>((resolve, reject) => {
          const timers: NodeJS.Timeout[] = []
          const finish = (): void => {
            opts.signal?.removeEventListener('abort', onAbort)
            resolve({
              startedAt,
              endedAt: startedAt + lengthMs,
              playedMs: lengthMs,
              rmsDb: pcm.rmsDb + gainDb,
              peakDb: pcm.peakDb + gainDb,
            })
          }
          stop = (reason) => {
            for (const t of timers) clearTimeout(t)
            opts.signal?.removeEventListener('abort', onAbort)
            const err = abortError(reason)
            failFirst(err)
            reject(err)
          }
          if (abortedBy !== undefined) return stop(abortedBy)
          timers.push(
            setTimeout(() => {
              deps.onFirstSample?.({
                name: opts.name,
                at,
                trueAt: releaseTrue,
                clockErrorMs: nodeAhead,
                handoverLateMs: Math.max(0, calledTrue - (at - nodeAhead)),
              })
              onFirst(startedAt)
            }, releaseTrue - trueNow()),
            setTimeout(finish, releaseTrue + lengthMs - trueNow()),
          )
        })
        firstSampleAt.catch(() => undefined)
        done.catch(() => undefined)
        return { firstSampleAt, done }
      },
      abort(reason) {
        if (abortedBy !== undefined) return
        abortedBy = reason ?? 'aborted'
        opts.signal?.removeEventListener('abort', onAbort)
        stop?.(abortedBy)
      },
    }
    return result
  }
  return sink
}

/** RMS and peak of `samples` in dBFS; -120 for digital silence. */
function levelOf(samples: Int16Array): { rmsDb: number; peakDb: number } {
  let sum = 0
  let peak = 0
  for (const s of samples) {
    sum += s * s
    const a = Math.abs(s)
    if (a > peak) peak = a
  }
  const db = (x: number): number => (x > 0 ? Math.max(-120, 20 * Math.log10(x / 32768)) : -120)
  return { rmsDb: db(Math.sqrt(sum / Math.max(1, samples.length))), peakDb: db(peak) }
}

/** The gain of a 0..100 volume setting in dB (the real sinks scale amplitude linearly). */
function volumeDb(volume = 100): number {
  return volume >= 100 ? 0 : volume <= 0 ? -120 : 20 * Math.log10(volume / 100)
}

function abortError(reason: unknown): Error {
  if (reason instanceof Error && reason.name === 'AbortError') return reason
  return Object.assign(new Error('playback aborted', { cause: reason }), { name: 'AbortError' })
}
