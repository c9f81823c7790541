import type { Audio } from '../../../../../contract/index.js'

// Several files uploaded at once: each file is one entry with its own progress and outcome. A
// few go up at a time (the controller transcodes one at a time anyway); one refused file does
// not stop the others. Pure: the sending is given (upload.ts's `sendForm` in the page).

/** Where one file is: waiting its turn, its bytes going up, the controller processing it
 * (loudness, transcode), stored, already in the library, refused, or cancelled. */
export type UploadState =
  | 'queued'
  | 'uploading'
  | 'processing'
  | 'done'
  | 'duplicate'
  | 'failed'
  | 'cancelled'

/** One file of the queue, as the page shows it. */
export interface UploadEntry {
  key: number
  name: string
  size: number
  state: UploadState
  /** Bytes sent, 0–100. */
  percent: number
  /** The stored recording (done, duplicate). */
  result: Audio | null
  /** Why it was refused (failed): the error the sender threw. */
  error: unknown
}

/** Sends one file; calls `progress` as bytes go up; rejects with AbortError when aborted. */
export type UploadSender<F> = (
  file: F,
  progress: (sent: number, total: number) => void,
  signal: AbortSignal,
) => Promise<Audio>

/** Files sent at once. */
export const PARALLEL_UPLOADS = 2

const FINISHED: ReadonlySet<UploadState> = new Set(['done', 'duplicate', 'failed', 'cancelled'])

/** Whether an entry has come to an end (nothing more will change it). */
export const isFinished = (e: Pick<UploadEntry, 'state'>): boolean => FINISHED.has(e.state)

const isAbort = (err: unknown): boolean =>
  err instanceof Error && (err.name === 'AbortError' || err.name === 'CanceledError')

/** The queue of one page; `onChange` gets a fresh copy of every entry after each change. */
export function createUploadQueue<F extends { name: string; size: number }>(opts: {
  send: UploadSender<F>
  onChange: (entries: UploadEntry[]) => void
  /** A file was stored (or found already stored): the library shows it. */
  onStored?: (audio: Audio) => void
  parallel?: number
}) {
  const parallel = Math.max(1, opts.parallel ?? PARALLEL_UPLOADS)
  const entries: UploadEntry[] = []
  const files = new Map<number, F>()
  const aborts = new Map<number, AbortController>()
  let next = 1

  const changed = () => opts.onChange(entries.map((e) => ({ ...e })))
  const find = (key: number) => entries.find((e) => e.key === key)

  function pump(): void {
    let running = entries.filter((e) => e.state === 'uploading' || e.state === 'processing').length
    for (const e of entries) {
      if (running >= parallel) break
      if (e.state !== 'queued') continue
      running++
      void start(e)
    }
  }

  async function start(e: UploadEntry): Promise<void> {
    const file = files.get(e.key) as F
    const ac = new AbortController()
    aborts.set(e.key, ac)
    e.state = 'uploading'
    e.percent = 0
    changed()
    try {
      const audio = await opts.send(
        file,
        (sent, total) => {
          // (A sender that sends again — a fresh CSRF token — starts over: uploading again.)
          if (e.state !== 'uploading' && e.state !== 'processing') return
          e.percent = total > 0 ? Math.min(100, Math.round((sent / total) * 100)) : 0
          e.state = total > 0 && sent >= total ? 'processing' : 'uploading'
          changed()
        },
        ac.signal,
      )
      e.state = audio.duplicate ? 'duplicate' : 'done'
      e.percent = 100
      e.result = audio
      opts.onStored?.(audio)
    } catch (err) {
      e.state = ac.signal.aborted || isAbort(err) ? 'cancelled' : 'failed'
      e.error = e.state === 'failed' ? err : null
    } finally {
      aborts.delete(e.key)
      files.delete(e.key)
    }
    changed()
    pump()
  }

  return {
    /** Adds files at the end of the queue; they start as soon as a place is free. */
    add(list: readonly F[]): void {
      for (const f of list) {
        const key = next++
        files.set(key, f)
        entries.push({
          key,
          name: f.name,
          size: f.size,
          state: 'queued',
          percent: 0,
          result: null,
          error: null,
        })
      }
      changed()
      pump()
    },
    /** Cancels one file: a queued one is dropped from the turn, a running one aborted. */
    cancel(key: number): void {
      const e = find(key)
      if (!e || isFinished(e)) return
      if (e.state === 'queued') {
        e.state = 'cancelled'
        files.delete(key)
        changed()
        return
      }
      aborts.get(key)?.abort()
    },
    /** Forgets the entries that have finished. */
    clearFinished(): void {
      for (let i = entries.length - 1; i >= 0; i--) {
        if (isFinished(entries[i] as UploadEntry)) entries.splice(i, 1)
      }
      changed()
    },
    /** Aborts everything (the page is left). */
    stop(): void {
      for (const e of entries) if (e.state === 'queued') e.state = 'cancelled'
      for (const ac of aborts.values()) ac.abort()
    },
    /** Whether some file is still waiting or going up. */
    busy: (): boolean => entries.some((e) => !isFinished(e)),
  }
}

/** The queue of one page. */
export type UploadQueue = ReturnType<typeof createUploadQueue>
