import { createWriteStream } from 'node:fs'
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Logger } from 'pino'
import { sha256File } from '../audio/index.js'
import type { PlanItem } from '../protocol/index.js'
import { AGENT_CHECKSUM, AGENT_DOWNLOAD, AgentError, errorMessage, isAgentError } from './errors.js'
import { type HttpAnswer, httpRequest } from './http-client.js'
import { freeDiskBytes } from './telemetry.js'

/** Dependencies of createAudioCache. */
export interface AudioCacheDeps {
  /** Cache directory (`<dataDir>/audio`). */
  dir: string
  /** Base URL against which relative item URLs are resolved. */
  controllerUrl: string
  /**
   * The node's own credentials, sent as HTTP Basic to the controller (audio downloads need
   * them), and only to the controller's origin: never to a host an item's URL might name.
   */
  credentials?: { nodeId: string; secret: string }
  log: Logger
  /** A download that receives no bytes for this long is aborted (network time, not the Clock). */
  stallTimeoutMs?: number
  /** Told about each failed prefetch (they are otherwise only logged). */
  onPrefetchError?: (item: PlanItem, err: unknown) => void
  /**
   * Free bytes a download must leave on the disk (for the outbox and the plan): a download that
   * would eat into them is not started. Default DISK_RESERVE_BYTES.
   */
  reserveBytes?: number
  /** Free bytes on the cache's file system (default: statfs), null when unknown. */
  freeBytes?: (dir: string) => Promise<number | null>
  /** Epoch ms (the agent's clock), for how fresh a hash is. Default: Date.now. */
  now?: () => number
}

/**
 * A `verify` within this long of the file's last hash, with the file unchanged since (same inode,
 * size, mtime and ctime: any write or utimes changes the ctime), does not hash it again. The
 * agent hashes each item's file shortly before its instant (`pre-verify.ts`), so the check at the
 * instant costs a stat, not a read of the whole file.
 */
export const HASH_FRESH_MS = 30_000

/** Default free space a download leaves for the node's own records: 1 MiB. */
export const DISK_RESERVE_BYTES = 1024 * 1024

/** Content-addressed local store of plan audio, `<dir>/<sha256>.<ext>`. */
export interface AudioCache {
  /**
   * Path of the item's verified audio, downloading (and resuming) it first when needed. With
   * `verify` (the player, right before each play) a file already verified is hashed again, so a
   * file damaged after it was checked is fetched again, or fails with `checksum`, never played.
   */
  ensure(item: PlanItem, opts?: { verify?: boolean }): Promise<string>
  /** Whether a file with this hash was fetched or checked and found intact by this process. */
  has(sha256: string): boolean
  /** Downloads every distinct audio of `items` one after another; failures are only logged. */
  prefetch(items: readonly PlanItem[]): Promise<void>
  /** Deletes cached audio whose sha256 is not in `keep` (and no download is running for it). */
  evict(keep: ReadonlySet<string>): Promise<void>
  /** Bytes used by the cache directory. */
  sizeBytes(): Promise<number>
  /**
   * Short of disk: aborts running downloads and deletes partial files (a report matters more than
   * resuming a download later).
   */
  abandonDownloads(): Promise<void>
  /** Aborts running downloads and waits for them to settle. */
  stop(): Promise<void>
}

/** Creates the cache; the directory is created on first use. */
export function createAudioCache(deps: AudioCacheDeps): AudioCache {
  const { dir, controllerUrl, log } = deps
  const controllerOrigin = new URL(controllerUrl).origin
  const basic = deps.credentials
    ? `Basic ${Buffer.from(`${deps.credentials.nodeId}:${deps.credentials.secret}`).toString('base64')}`
    : null
  const stallTimeoutMs = deps.stallTimeoutMs ?? 30_000
  const verified = new Set<string>()
  /** File identity and time of the last good hash, per sha256. */
  const hashed = new Map<string, { id: string; at: number }>()
  const now = deps.now ?? Date.now
  const inflight = new Map<string, Promise<string>>()
  const stopper = new AbortController()
  let abandon = new AbortController()
  const reserveBytes = deps.reserveBytes ?? DISK_RESERVE_BYTES
  const freeBytes = deps.freeBytes ?? freeDiskBytes

  async function obtain(item: PlanItem, verify: boolean): Promise<string> {
    const path = join(dir, `${item.sha256}.${extensionOf(item.url)}`)
    if (verified.has(item.sha256)) {
      if (!verify && (await sizeOf(path)) !== undefined) return path
      const last = hashed.get(item.sha256)
      if (last && now() - last.at <= HASH_FRESH_MS && (await identity(path)) === last.id) {
        return path
      }
      verified.delete(item.sha256)
    }
    await mkdir(dir, { recursive: true })
    let damaged: string | undefined
    if ((await sizeOf(path)) !== undefined) {
      const before = await identity(path)
      const problem = await mismatch(path, item)
      if (!problem) {
        verified.add(item.sha256)
        if (before !== undefined) hashed.set(item.sha256, { id: before, at: now() })
        return path
      }
      damaged = problem
      log.warn({ sha256: item.sha256, problem }, 'cached audio is damaged; fetching it again')
      await rm(path, { force: true })
    }
    const part = join(dir, `${item.sha256}.part`)
    try {
      await download(item, part)
    } catch (err) {
      if (damaged === undefined) throw err
      throw new AgentError(
        AGENT_CHECKSUM,
        `cached audio ${item.audioId} was damaged (${damaged}) and could not be fetched again: ${errorMessage(err)}`,
        { cause: err },
      )
    }
    const problem = await mismatch(part, item)
    if (problem) {
      await rm(part, { force: true })
      throw new AgentError(AGENT_CHECKSUM, `audio ${item.audioId} from ${item.url}: ${problem}`)
    }
    // Read-only: nothing of ours writes a verified file again (the hash is still checked per play).
    await chmod(part, 0o444)
    await rename(part, path)
    verified.add(item.sha256)
    const id = await identity(path)
    if (id !== undefined) hashed.set(item.sha256, { id, at: now() })
    log.debug({ sha256: item.sha256, bytes: item.sizeBytes }, 'audio cached')
    return path
  }

  async function download(item: PlanItem, part: string): Promise<void> {
    let offset = (await sizeOf(part)) ?? 0
    if (offset > item.sizeBytes) {
      await rm(part, { force: true })
      offset = 0
    }
    if (offset > 0 && offset === item.sizeBytes) return
    const url = new URL(item.url, controllerUrl)
    const free = await freeBytes(dir)
    if (free !== null && free - (item.sizeBytes - offset) < reserveBytes) {
      throw new AgentError(
        AGENT_DOWNLOAD,
        `not enough disk for ${item.audioId}: ${item.sizeBytes - offset} bytes to fetch, ${free} free, ${reserveBytes} kept for the node's records`,
      )
    }
    const stall = new AbortController()
    let timer = setTimeout(() => stall.abort(), stallTimeoutMs)
    const signal = AbortSignal.any([stopper.signal, abandon.signal, stall.signal])
    try {
      const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {}
      if (basic && url.origin === controllerOrigin) headers.authorization = basic
      const res = await httpRequest(url, { headers, signal })
      let append = false
      if (res.status === 206 && offset > 0 && rangeStart(res) === offset) {
        append = true
      } else if (res.status !== 200) {
        res.discard()
        if (res.status === 416 || res.status === 206) await rm(part, { force: true })
        throw new AgentError(AGENT_DOWNLOAD, `GET ${url} answered HTTP ${res.status}`)
      }
      let written = append ? offset : 0
      const limit = async function* (source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
        for await (const chunk of source) {
          written += chunk.length
          if (written > item.sizeBytes) {
            throw new AgentError(AGENT_CHECKSUM, `${url} is larger than ${item.sizeBytes} bytes`)
          }
          clearTimeout(timer)
          timer = setTimeout(() => stall.abort(), stallTimeoutMs)
          yield chunk
        }
      }
      await pipeline(res.body, limit, createWriteStream(part, { flags: append ? 'a' : 'w' }))
    } catch (err) {
      if (isAgentError(err, AGENT_CHECKSUM)) await rm(part, { force: true })
      if (isAgentError(err)) throw err
      if (isNoSpace(err)) {
        // The partial file would keep the disk full: the outbox and the next plan come first.
        await rm(part, { force: true })
        throw new AgentError(AGENT_DOWNLOAD, `GET ${url}: disk full; partial file removed`, {
          cause: err,
        })
      }
      const why = stall.signal.aborted ? `no data for ${stallTimeoutMs} ms` : errorMessage(err)
      // The .part file stays, so the next attempt resumes with a Range request.
      throw new AgentError(AGENT_DOWNLOAD, `GET ${url}: ${why}`, { cause: err })
    } finally {
      clearTimeout(timer)
    }
  }

  function ensure(item: PlanItem, opts?: { verify?: boolean }): Promise<string> {
    const running = inflight.get(item.sha256)
    if (running !== undefined) return running
    const task = obtain(item, opts?.verify === true).finally(() => inflight.delete(item.sha256))
    inflight.set(item.sha256, task)
    return task
  }

  return {
    ensure,
    has: (sha256) => verified.has(sha256),
    async prefetch(items) {
      const seen = new Set<string>()
      const soonestFirst = [...items].sort((a, b) => Date.parse(a.startAt) - Date.parse(b.startAt))
      for (const item of soonestFirst) {
        if (stopper.signal.aborted) return
        if (seen.has(item.sha256)) continue
        seen.add(item.sha256)
        try {
          await ensure(item)
        } catch (err) {
          log.error({ err, itemId: item.itemId, sha256: item.sha256 }, 'prefetch failed')
          if (!stopper.signal.aborted) deps.onPrefetchError?.(item, err)
        }
      }
    },
    async evict(keep) {
      let names: string[]
      try {
        names = await readdir(dir)
      } catch {
        return
      }
      for (const name of names) {
        const sha = name.split('.')[0] ?? ''
        if (keep.has(sha) || inflight.has(sha)) continue
        verified.delete(sha)
        hashed.delete(sha)
        await rm(join(dir, name), { force: true })
        log.debug({ file: name }, 'evicted audio no longer in the plan')
      }
    },
    async sizeBytes() {
      let names: string[]
      try {
        names = await readdir(dir)
      } catch {
        return 0
      }
      let total = 0
      for (const name of names) total += (await sizeOf(join(dir, name))) ?? 0
      return total
    },
    async abandonDownloads() {
      abandon.abort()
      abandon = new AbortController()
      let names: string[]
      try {
        names = await readdir(dir)
      } catch {
        return
      }
      for (const name of names.filter((n) => n.endsWith('.part'))) {
        await rm(join(dir, name), { force: true })
        log.warn({ file: name }, 'partial download removed to free disk')
      }
    },
    async stop() {
      stopper.abort()
      await Promise.allSettled([...inflight.values()])
    },
  }
}

/** Whether an error (or its cause) is the file system being full. */
export function isNoSpace(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOSPC' || code === 'EDQUOT') return true
  }
  return false
}

/** Inode, size, mtime and ctime (ns) of a file, or undefined when it does not exist. */
async function identity(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path, { bigint: true })
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
  } catch {
    return undefined
  }
}

/** Size of a file, or undefined when it does not exist. */
async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size
  } catch {
    return undefined
  }
}

/** Why `path` is not the item's audio, or undefined when size and sha256 both match. */
async function mismatch(path: string, item: PlanItem): Promise<string | undefined> {
  const size = (await sizeOf(path)) ?? 0
  if (size !== item.sizeBytes) return `size ${size} bytes, expected ${item.sizeBytes}`
  const sha = await sha256File(path)
  return sha === item.sha256 ? undefined : `sha256 ${sha}, expected ${item.sha256}`
}

/** First byte position of a 206 response (`Content-Range: bytes <start>-<end>/<total>`). */
function rangeStart(res: HttpAnswer): number | undefined {
  const match = /^bytes (\d+)-/.exec(res.header('content-range') ?? '')
  return match ? Number(match[1]) : undefined
}

/** File extension taken from the URL path (`mp3`, `wav`…), or `bin` when it has none. */
function extensionOf(url: string): string {
  const path = url.split(/[?#]/)[0] ?? ''
  const match = /\.([a-z0-9]{1,5})$/i.exec(path)
  return match?.[1]?.toLowerCase() ?? 'bin'
}
