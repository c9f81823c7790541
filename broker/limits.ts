import { readFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import { MAX_PAYLOAD_BYTES } from '../protocol/index.js'

/**
 * The largest MQTT packet an authenticated client may send: the largest payload either side
 * accepts (a signed plan; protocol/validate.ts) plus room for the fixed header, topic and packet id.
 */
export const MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + 4096

/**
 * File descriptors kept free for everything else the process opens (HTTP, SQLite, audio): 1,024,
 * or a quarter of a small limit (systemd's default soft limit is 1,024).
 */
export const RESERVED_FDS = 1024

/** The descriptors reserved under a limit of `fdLimit`. */
export function reservedFds(fdLimit: number): number {
  return Math.min(RESERVED_FDS, Math.ceil(fdLimit / 4))
}

/** Resource limits of the embedded broker's listeners. */
export interface ConnectionLimits {
  /** Open broker sockets (plain and TLS, before and after CONNECT) across all addresses. */
  maxConnections: number
  /** Open broker sockets from one remote address. */
  maxPerAddress: number
  /** Time from accepting a socket (after its TLS handshake) until its CONNECT must have arrived. */
  connectTimeoutMs: number
  /** Time a TLS handshake may take from accepting the socket. */
  tlsHandshakeTimeoutMs: number
  /** Bytes a client may send before it has authenticated (its CONNECT, will included). */
  maxConnectBytes: number
  /** Largest packet an authenticated client may send. */
  maxPacketBytes: number
  /** Sessions one node may open per minute (burst included); more are refused (CONNACK 3). */
  maxConnectsPerMin: number
}

/** Why the guard cut a connection. */
export type LimitReason = 'max-connections' | 'max-per-address' | 'packet-too-large'

/** What the guard reports for each connection it refuses or cuts. */
export interface LimitEvent {
  reason: LimitReason
  address: string | null
  /** For packet-too-large: the length a packet declared (so far), or the bytes sent before CONNACK. */
  bytes?: number
  /** For packet-too-large: bytes read from the connection when it was cut (what it buffered). */
  bytesRead?: number
}

/**
 * The soft limit on open file descriptors (RLIMIT_NOFILE) from /proc/self/limits, or null where
 * that file does not exist. Node cannot raise it, so the broker stays below it instead.
 */
export function openFileLimit(path = '/proc/self/limits'): number | null {
  try {
    const line = readFileSync(path, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0]
    const n = Number(soft)
    return Number.isInteger(n) && n > 0 ? n : null
  } catch {
    return null
  }
}

/**
 * The connection cap actually applied: the configured one, lowered when it would leave fewer than
 * `reservedFds` descriptors for the HTTP API and the rest of the process.
 */
export function effectiveMaxConnections(configured: number, fdLimit: number | null): number {
  if (fdLimit === null) return configured
  return Math.max(1, Math.min(configured, fdLimit - reservedFds(fdLimit)))
}

/**
 * Follows MQTT frame boundaries in the bytes a client sends, without buffering them: for each
 * packet it reads the fixed header's remaining length and skips the body. Returns a violation as
 * soon as a packet declares more than the current limit, or the bytes sent before authentication
 * exceed `maxConnectBytes`; only the header is needed to cut a packet that declares 250 MB.
 */
export function createFrameMeter(
  limits: Pick<ConnectionLimits, 'maxConnectBytes' | 'maxPacketBytes'>,
) {
  let authenticated = false
  let preAuthBytes = 0
  // 0: expecting a packet's first byte; 1: reading the remaining length; 2: skipping the body.
  let state = 0
  let length = 0
  let multiplier = 1
  let body = 0

  /**
   * Scans a chunk; when the client broke a limit, returns the offending length (a packet's
   * declared length as far as read, or the bytes sent before authentication), else null.
   */
  function scan(chunk: Buffer): number | null {
    if (!authenticated) {
      preAuthBytes += chunk.length
      if (preAuthBytes > limits.maxConnectBytes) return preAuthBytes
    }
    const max = authenticated ? limits.maxPacketBytes : limits.maxConnectBytes
    let i = 0
    while (i < chunk.length) {
      if (state === 0) {
        i++
        state = 1
        length = 0
        multiplier = 1
      } else if (state === 1) {
        const byte = chunk[i++] as number
        length += (byte & 0x7f) * multiplier
        multiplier *= 128
        // A fifth length byte is malformed; the parser rejects it, the length check stops it here.
        if (length > max || (byte & 0x80 && multiplier >= 128 ** 4)) return length
        if ((byte & 0x80) === 0) {
          body = length
          state = body > 0 ? 2 : 0
        }
      } else {
        const skip = Math.min(body, chunk.length - i)
        body -= skip
        i += skip
        if (body === 0) state = 0
      }
    }
    return null
  }

  return {
    scan,
    /** From now on packets up to `maxPacketBytes` are allowed. */
    authenticated(): void {
      authenticated = true
    },
  }
}

/**
 * Counts open sockets per listener set (total and per remote address), refuses those over the
 * caps as soon as they are accepted, and meters what each admitted client sends (see
 * createFrameMeter), destroying the socket on a violation before aedes' parser buffers it.
 */
export function createConnectionGuard(limits: ConnectionLimits, onLimit: (e: LimitEvent) => void) {
  const perAddress = new Map<string, number>()
  const meters = new WeakMap<object, ReturnType<typeof createFrameMeter>>()
  let open = 0
  const refused: Record<LimitReason, number> = {
    'max-connections': 0,
    'max-per-address': 0,
    'packet-too-large': 0,
  }

  function refuse(reason: LimitReason, address: string | null, extra?: Partial<LimitEvent>): void {
    refused[reason]++
    onLimit({ reason, address, ...extra })
  }

  /** Called on each raw TCP socket a listener accepts; false when it was refused and destroyed. */
  function admit(socket: Socket): boolean {
    const address = socket.remoteAddress ?? 'unknown'
    const fromAddress = perAddress.get(address) ?? 0
    let reason: LimitReason | null = null
    if (open >= limits.maxConnections) reason = 'max-connections'
    else if (fromAddress >= limits.maxPerAddress) reason = 'max-per-address'
    if (reason) {
      socket.on('error', () => undefined)
      socket.destroy()
      refuse(reason, address)
      return false
    }
    open++
    perAddress.set(address, fromAddress + 1)
    socket.once('close', () => {
      open--
      const n = (perAddress.get(address) ?? 1) - 1
      if (n <= 0) perAddress.delete(address)
      else perAddress.set(address, n)
    })
    return true
  }

  /**
   * Meters the stream aedes will read (the TLS socket for TLS): aedes reads each client with
   * `conn.read()`, so the guard sees every byte before the MQTT parser does.
   */
  function meter(conn: Socket): void {
    const meterOf = createFrameMeter(limits)
    const address = conn.remoteAddress ?? null
    meters.set(conn, meterOf)
    const read = conn.read.bind(conn)
    conn.read = (size?: number) => {
      const chunk = read(size) as Buffer | string | null
      if (chunk === null || typeof chunk === 'string') return chunk
      const violation = meterOf.scan(chunk)
      if (violation === null) return chunk
      conn.read = () => null
      const bytesRead = conn.bytesRead
      conn.destroy()
      refuse('packet-too-large', address, { bytes: violation, bytesRead })
      return null
    }
  }

  return {
    admit,
    meter,
    /** Raises the packet limit of a client whose CONNECT was accepted. */
    authenticated(conn: unknown): void {
      if (conn && typeof conn === 'object') meters.get(conn)?.authenticated()
    },
    stats: () => ({ open, addresses: perAddress.size, refused: { ...refused } }),
  }
}

/** The connection guard of one broker. */
export type ConnectionGuard = ReturnType<typeof createConnectionGuard>

/**
 * Counts the sessions each node opens (only after its credentials were accepted, so nobody can
 * use up another node's allowance) in a token bucket of `perMin` a minute: a stolen node
 * reconnecting in a loop would otherwise write a presence transition and log lines each time.
 */
export function createConnectRate(perMin: number, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>()
  let sweptAt = now()
  return {
    /** Whether `key` may open one more session now. */
    allow(key: string): boolean {
      const t = now()
      if (t - sweptAt >= 60_000) {
        sweptAt = t
        // A bucket untouched for a minute is full again: forget it.
        for (const [k, b] of buckets) if (t - b.at >= 60_000) buckets.delete(k)
      }
      const b = buckets.get(key) ?? { tokens: perMin, at: t }
      b.tokens = Math.min(perMin, b.tokens + ((t - b.at) * perMin) / 60_000)
      b.at = t
      buckets.set(key, b)
      if (b.tokens < 1) return false
      b.tokens -= 1
      return true
    },
    size: () => buckets.size,
  }
}
