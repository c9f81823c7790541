/**
 * @module audio/sinks/preroll
 * One playback routine every ffmpeg sink shares, in the two steps of {@link Prepared}: `prepare`
 * starts the decoder, opens the output and reads the first buffer of PCM; `start(at)` waits for
 * the instant (a clocked output: hands the first buffer over just before it, placed to sound at
 * the instant), then feeds the output at real-time pace (paced on the monotonic clock, so a step
 * of the wall clock does not stretch or squeeze the sound; {@link SinkDeps.pace}). A clocked
 * output that runs dry (the feed came late: a stalled link, a decoder that fell behind) resumes
 * later than placed; a playback that keeps in step (`catchUp`) then drops what should have
 * sounded meanwhile, as a late start does, so the node is back on the fleet clock.
 */
import { AudioError } from '../errors.js'
import { parseAstatsOverall, stderrTail } from '../parse-stderr.js'
import { abortError } from '../run-ffmpeg.js'
import { startDecoder } from './decoder.js'
import type { OpenOutput, PcmOutput } from './output.js'
import { createPauser, realPaceClock } from './pace.js'
import type { PlayOptions, PlayResult, Prepared, SinkDeps, Started } from './types.js'

export type { OpenOutput, PcmOutput } from './output.js'

/** The wait before the instant is a timer up to this many ms before it, then a spin. */
export const SPIN_MS = 40
/** The last ms before the instant are waited for without yielding to the event loop. */
const BUSY_MS = 2
/**
 * The longest a late start, or a resume after running dry, spends dropping what it is late by
 * (catchUp), ms: past it the source is no further ahead than now (it is late itself), and what
 * arrives plays, late, rather than nothing at all.
 */
const MAX_SKIP_WAIT_MS = 250
/** Pacing tick while feeding the output, ms. */
const TICK_MS = 20

/** Prepares `file` for `open`'s output; see {@link Prepared}. */
export async function prepareThrough(
  deps: SinkDeps,
  file: string,
  opts: PlayOptions,
  open: OpenOutput,
): Promise<Prepared> {
  const now = deps.now ?? Date.now
  const pace = deps.pace ?? realPaceClock
  if (opts.signal?.aborted) throw asAbortError(opts.signal.reason)
  const decoder = await startDecoder(deps.ffmpegPath, file, opts)
  let output: PcmOutput
  let firstPcm: Buffer | null
  try {
    output = await open(decoder.format)
  } catch (err) {
    decoder.kill()
    throw err
  }
  try {
    firstPcm = await decoder.next()
  } catch (err) {
    decoder.kill()
    await output.discard(0)
    throw err
  }
  const frameBytes = decoder.frameBytes
  const rate = decoder.format.sampleRate
  let aborted: unknown
  let started = false
  const { pause, wake } = createPauser(pace)
  const onAbort = (): void => prepared.abort(opts.signal?.reason)
  opts.signal?.addEventListener('abort', onAbort, { once: true })

  const prepared: Prepared = {
    durationMs: null,
    start(at) {
      if (started) throw new Error('this playback was already started')
      started = true
      let resolveFirst: (at: number) => void = () => undefined
      let rejectFirst: (err: unknown) => void = () => undefined
      const firstSampleAt = new Promise<number>((res, rej) => {
        resolveFirst = res
        rejectFirst = rej
      })
      const done = run(at, resolveFirst).finally(() =>
        opts.signal?.removeEventListener('abort', onAbort),
      )
      done.catch((err: unknown) => rejectFirst(err))
      firstSampleAt.catch(() => undefined)
      done.catch(() => undefined)
      return { firstSampleAt, done } satisfies Started
    },
    abort(reason) {
      if (aborted !== undefined) return
      aborted = asAbortError(reason)
      decoder.kill()
      wake()
      if (!started) {
        opts.signal?.removeEventListener('abort', onAbort)
        void output.discard(0)
      }
    },
  }
  if (opts.signal?.aborted) prepared.abort(opts.signal.reason)

  async function waitFor(at: number): Promise<void> {
    for (;;) {
      if (aborted !== undefined) return
      const left = at - now()
      if (left <= 0) return
      // An injected pace clock is waited on alone (a manual clock would never reach `at` in a spin).
      if (deps.pace) await pause(Math.min(left, 1000))
      else if (left > SPIN_MS) await pause(Math.min(left - SPIN_MS, 1000))
      else if (left > BUSY_MS) await new Promise<void>((resolve) => setImmediate(resolve))
      else while (now() < at) {} // the last few ms without yielding: no callback delays it
    }
  }

  async function run(at: number, onFirst: (at: number) => void): Promise<PlayResult> {
    let played = 0
    let t0 = 0
    // The clocked output's own time line: it sounds frame k at cardT0 + k / rate, later than
    // placed by every underrun so far (a sound card that ran dry resumes where it was).
    let cardT0 = 0
    let startedAt = 0
    try {
      const handoverMs = output.handoverMs ?? 0
      await waitFor(at - handoverMs)
      if (aborted !== undefined) throw aborted
      const skipped = opts.catchUp ? await skipLate(at) : 0
      if (aborted !== undefined) throw aborted
      const fleetNow = now()
      const systemNow = Date.now()
      // A clocked output plays the buffer handed over early at the instant (or at once, if it
      // came too late); any other output plays it when it is handed over.
      const first = handoverMs > 0 ? Math.max(at, fleetNow) : fleetNow
      t0 = pace.now() + (first - fleetNow)
      cardT0 = t0
      startedAt = first + output.delayMs
      const leadFrames = (output.leadMs / 1000) * rate
      output.released?.(systemNow + (first - fleetNow) + output.delayMs, systemNow, skipped)
      const handed = firstPcm === null ? Promise.resolve() : output.write(firstPcm)
      if (first > fleetNow) await pause(first - fleetNow)
      if (aborted !== undefined) throw aborted
      onFirst(startedAt)
      await handed
      if (firstPcm !== null) played += firstPcm.length / frameBytes
      /** Source frames still to leave out, and the underrun not yet reported. */
      let toDrop = 0
      let dropUntil = 0
      let dry = { ms: 0, dropped: 0 }
      const cardEnd = (): number => cardT0 + (played / rate) * 1000
      for (
        let chunk = firstPcm === null ? null : await nextFed(cardEnd(), played);
        chunk !== null;
      ) {
        if (aborted !== undefined) throw aborted
        const t = pace.now()
        if (played >= ((t - cardT0) / 1000) * rate + leadFrames) {
          await pause(TICK_MS)
          continue
        }
        const dryMs = t - cardEnd()
        if (handoverMs > 0 && dryMs > 0) {
          cardT0 += dryMs
          // Keeping in step: what should have sounded while the card was dry is left out.
          const drop = opts.catchUp ? Math.round((dryMs / 1000) * rate) : 0
          if (toDrop === 0) dropUntil = t + MAX_SKIP_WAIT_MS
          toDrop += drop
          dry = { ms: dry.ms + dryMs, dropped: dry.dropped }
        }
        if (toDrop > 0 && t > dropUntil) toDrop = 0
        if (toDrop > 0) {
          const cut = Math.min(toDrop, chunk.length / frameBytes)
          toDrop -= cut
          dry.dropped += cut
          chunk = chunk.subarray(cut * frameBytes)
          if (chunk.length === 0) {
            chunk = await nextChunk()
            continue
          }
        }
        if (dry.ms > 0) {
          output.starved?.(played, dry.ms, dry.dropped)
          dry = { ms: 0, dropped: 0 }
        }
        await output.write(chunk)
        played += chunk.length / frameBytes
        chunk = await nextFed(cardEnd(), played)
      }
      const end = await decoder.exited
      if (aborted !== undefined) throw aborted
      if (end.code !== 0) throw decodeFailure(file, end.code, end.stderr)
      const remaining = cardEnd() - pace.now()
      if (remaining > 0) await pause(remaining)
      if (aborted !== undefined) throw aborted
      await output.close(played)
      const result: PlayResult = {
        startedAt,
        endedAt: startedAt + (played / rate) * 1000,
        playedMs: (played / rate) * 1000,
        ...parseAstatsOverall(end.stderr),
      }
      if (output.output !== undefined) result.output = output.output
      return result
    } catch (err) {
      decoder.kill()
      const heard = t0 === 0 ? 0 : Math.min(played, ((pace.now() - cardT0) / 1000) * rate)
      await output.discard(Math.max(0, Math.floor(heard)))
      throw err
    }
  }

  /**
   * The next chunk; when it comes after the clocked output has sounded all it holds (its first
   * `frame` frames, by `cardEnd` on the pace clock), `opts.onDry` hears of it then, not only when
   * the feed resumes.
   */
  async function nextFed(cardEnd: number, frame: number): Promise<Buffer | null> {
    const next = nextChunk()
    const onDry = opts.onDry
    if (!onDry || (output.handoverMs ?? 0) <= 0) return next
    let cancel = (): void => undefined
    const ranDry = new Promise<'dry'>((resolve) => {
      cancel = pace.after(Math.max(0, cardEnd - pace.now()), () => resolve('dry'))
    })
    try {
      const first = await Promise.race([next, ranDry])
      if (first !== 'dry') return first
      onDry(frame)
      return next
    } finally {
      cancel()
    }
  }

  /**
   * Late for `at`: drops the frames that should have sounded by now (from the held first buffer,
   * then the decoder's next ones), so the first frame left sounds now, in step; how many.
   */
  async function skipLate(at: number): Promise<number> {
    let skipped = 0
    const began = pace.now()
    for (;;) {
      const behind = Math.floor(((now() - at) / 1000) * rate) - skipped
      if (behind <= 0 || firstPcm === null || aborted !== undefined) return skipped
      // A source no further ahead than now is not waited for: what arrives plays, late.
      if (pace.now() - began > MAX_SKIP_WAIT_MS) return skipped
      const frames = firstPcm.length / frameBytes
      if (frames > behind) {
        firstPcm = firstPcm.subarray(behind * frameBytes)
        return skipped + behind
      }
      skipped += frames
      firstPcm = await nextChunk()
    }
  }

  async function nextChunk(): Promise<Buffer | null> {
    const chunk = await decoder.next()
    if (chunk === null && aborted !== undefined) throw aborted
    return chunk
  }

  return prepared
}

/** `prepare` then `start(now)`: plays at once, resolving at the end. */
export async function playNow(
  deps: SinkDeps,
  file: string,
  opts: PlayOptions,
  open: OpenOutput,
): Promise<PlayResult> {
  const prepared = await prepareThrough(deps, file, opts, open)
  return prepared.start((deps.now ?? Date.now)()).done
}

function decodeFailure(file: string, code: number | null, stderr: string): AudioError {
  return new AudioError(
    'AUDIO_DECODE',
    `cannot decode "${file}" (exit ${code}):\n${stderrTail(stderr)}`,
  )
}

/** The abort reason itself when it is already an `AbortError`, else one wrapping it. */
export function asAbortError(reason: unknown): unknown {
  const name = typeof reason === 'object' && reason !== null && 'name' in reason && reason.name
  return name === 'AbortError' ? reason : abortError('playback aborted', reason)
}
