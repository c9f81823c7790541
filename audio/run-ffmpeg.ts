/**
 * @module audio/run-ffmpeg
 * Runs ffmpeg as a child process: arguments as an array (never a shell), an AbortSignal and a
 * timeout, a bounded copy of stderr. A non-zero exit code is returned, not thrown: each caller
 * knows best what it means.
 */
import { spawn } from 'node:child_process'
import { AudioError } from './errors.js'

/** Options for {@link runFfmpeg}. */
export interface RunFfmpegOptions {
  /** Kills ffmpeg and rejects with the signal's reason (or an `AbortError`). */
  signal?: AbortSignal
  /** Kills ffmpeg and rejects with `AUDIO_TIMEOUT` after this many milliseconds. */
  timeoutMs?: number
  /** `'pipe'` collects stdout into a Buffer; the default `'ignore'` discards it. */
  stdout?: 'ignore' | 'pipe'
  /**
   * Working directory of the ffmpeg process. Untrusted input is processed in a fresh private
   * directory holding only that input, so a relative path that slips through names nothing else.
   */
  cwd?: string
}

/** What an ffmpeg run produced. */
export interface RunFfmpegResult {
  /** Exit code; null when the process ended by a signal. */
  code: number | null
  /** The first {@link STDERR_HEAD_BYTES} and the last {@link STDERR_TAIL_BYTES} of stderr. */
  stderr: string
  /** Everything written to stdout, when `stdout: 'pipe'` was asked for. */
  stdout?: Buffer
}

/** Bytes kept from the start of stderr: the `Input #0` header lives there. */
export const STDERR_HEAD_BYTES = 16 * 1024
/** Bytes kept from the end of stderr: the final progress line and error summary live there. */
export const STDERR_TAIL_BYTES = 64 * 1024
/** After SIGTERM (which lets ffmpeg finish writing its output), SIGKILL follows after this. */
export const KILL_GRACE_MS = 2000

/**
 * Runs `ffmpeg -hide_banner -nostdin ...args`. Resolves with the exit code and stderr once the
 * process has exited; rejects on abort, on timeout (`AUDIO_TIMEOUT`) and when the binary cannot
 * be started (`AUDIO_FFMPEG_MISSING`).
 */
export function runFfmpeg(
  ffmpegPath: string,
  args: string[],
  opts: RunFfmpegOptions = {},
): Promise<RunFfmpegResult> {
  const { signal, timeoutMs, stdout = 'ignore', cwd } = opts
  if (signal?.aborted) return Promise.reject(abortReason(signal))
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-nostdin', ...args], {
      stdio: ['ignore', stdout, 'pipe'],
      windowsHide: true,
      ...(cwd === undefined ? {} : { cwd }),
    })
    const stderr = createStderrCollector()
    const out: Buffer[] = []
    let failure: unknown
    let killTimer: NodeJS.Timeout | undefined

    const stop = (reason: unknown): void => {
      if (failure !== undefined) return
      failure = reason
      child.kill('SIGTERM')
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
      killTimer.unref()
    }
    const onAbort = (): void => stop(signal === undefined ? abortError() : abortReason(signal))
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stop(new AudioError('AUDIO_TIMEOUT', `ffmpeg did not finish within ${timeoutMs} ms`))
          }, timeoutMs)
    signal?.addEventListener('abort', onAbort, { once: true })
    const cleanup = (): void => {
      clearTimeout(timer)
      clearTimeout(killTimer)
      signal?.removeEventListener('abort', onAbort)
    }

    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk))
    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanup()
      if (err.code === 'ENOENT' || err.code === 'EACCES') {
        reject(
          new AudioError('AUDIO_FFMPEG_MISSING', `cannot start ffmpeg at "${ffmpegPath}"`, {
            cause: err,
          }),
        )
      } else {
        reject(err)
      }
    })
    child.once('close', (code) => {
      cleanup()
      if (failure !== undefined) {
        reject(failure)
        return
      }
      const result: RunFfmpegResult = { code, stderr: stderr.text() }
      if (stdout === 'pipe') result.stdout = Buffer.concat(out)
      resolve(result)
    })
  })
}

/** An `Error` named `AbortError`, the name `fetch` and `timers/promises` use for aborts. */
export function abortError(message = 'The operation was aborted', cause?: unknown): Error {
  const err = new Error(message, cause === undefined ? undefined : { cause })
  err.name = 'AbortError'
  return err
}

/** The signal's reason, or an `AbortError` when the signal carries none. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? abortError()
}

/** Keeps the head and the tail of a stream that may be very long (ffmpeg can repeat errors). */
export function createStderrCollector(): { push(chunk: Buffer): void; text(): string } {
  const head: Buffer[] = []
  let headBytes = 0
  let tail: Buffer[] = []
  let tailBytes = 0
  let dropped = 0
  return {
    push(chunk) {
      let rest = chunk
      if (headBytes < STDERR_HEAD_BYTES) {
        const take = rest.subarray(0, STDERR_HEAD_BYTES - headBytes)
        head.push(take)
        headBytes += take.length
        rest = rest.subarray(take.length)
      }
      if (rest.length === 0) return
      tail.push(rest)
      tailBytes += rest.length
      if (tailBytes > 2 * STDERR_TAIL_BYTES) {
        const joined = Buffer.concat(tail)
        const keep = joined.subarray(joined.length - STDERR_TAIL_BYTES)
        dropped += joined.length - keep.length
        tail = [keep]
        tailBytes = keep.length
      }
    },
    text() {
      const joined = Buffer.concat(tail)
      const tailBuf = joined.subarray(Math.max(0, joined.length - STDERR_TAIL_BYTES))
      const omitted = dropped + joined.length - tailBuf.length
      const gap = omitted > 0 ? `\n[... ${omitted} bytes of ffmpeg output omitted ...]\n` : ''
      return Buffer.concat(head).toString('utf8') + gap + tailBuf.toString('utf8')
    },
  }
}
