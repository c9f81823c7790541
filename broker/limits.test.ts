import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createConnectRate,
  createFrameMeter,
  effectiveMaxConnections,
  MAX_PACKET_BYTES,
  openFileLimit,
  RESERVED_FDS,
} from './limits.js'

const limits = { maxConnectBytes: 4096, maxPacketBytes: 64 * 1024 }

/** An MQTT packet: fixed header byte, remaining length (variable-length integer), body. */
function frame(header: number, body: Buffer): Buffer {
  const len: number[] = []
  let n = body.length
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    len.push(byte)
  } while (n > 0)
  return Buffer.concat([Buffer.from([header, ...len]), body])
}

// A node's CONNECT: protocol name and level, flags, keepalive, client id, will, credentials.
const connect = frame(0x10, Buffer.alloc(10 + 8 + 31 + 302 + 8 + 45))
const publish = (bytes: number) => frame(0x32, Buffer.alloc(2 + 29 + 2 + bytes))

describe('createFrameMeter', () => {
  it('lets a normal CONNECT through, then packets up to the post-authentication maximum', () => {
    const m = createFrameMeter(limits)
    expect(m.scan(connect)).toBeNull()
    m.authenticated()
    const big = publish(60 * 1024)
    // Split anywhere, even inside the length bytes: the meter follows the frames across chunks.
    for (const cut of [1, 2, 3, 500, big.length - 1]) {
      const m2 = createFrameMeter(limits)
      m2.authenticated()
      expect(m2.scan(big.subarray(0, cut))).toBeNull()
      expect(m2.scan(big.subarray(cut))).toBeNull()
      expect(m2.scan(Buffer.concat([publish(10), Buffer.from([0xc0, 0x00])]))).toBeNull()
    }
    expect(m.scan(Buffer.concat([big, big]))).toBeNull()
  })

  it('cuts a CONNECT that declares 250 MB at its header', () => {
    const m = createFrameMeter(limits)
    // 0x10, then 250,000,000 as a variable-length integer: cut as soon as the length read so far
    // (a lower bound, since later bytes only add) is over the limit, here at the third byte.
    const cut = m.scan(Buffer.from([0x10, 0x80, 0xe5, 0x9a, 0x77]))
    expect(cut).toBeGreaterThan(limits.maxConnectBytes)
    expect(cut).toBeLessThanOrEqual(250_000_000)
  })

  it('cuts a client that sends more than the pre-authentication budget in small packets', () => {
    const m = createFrameMeter(limits)
    expect(m.scan(connect)).toBeNull()
    let cut: number | null = null
    for (let i = 0; i < 100 && cut === null; i++) cut = m.scan(publish(100))
    expect(cut).toBeGreaterThan(limits.maxConnectBytes)
  })

  it('cuts an authenticated packet over the maximum, and a malformed length', () => {
    const m = createFrameMeter(limits)
    m.authenticated()
    expect(m.scan(publish(64 * 1024 + 1).subarray(0, 5))).toBeGreaterThan(64 * 1024)
    const bad = createFrameMeter({ maxConnectBytes: 4096, maxPacketBytes: 2 ** 30 })
    bad.authenticated()
    expect(bad.scan(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]))).not.toBeNull()
  })

  it('allows the largest payload the protocol accepts (a 2 MiB plan)', () => {
    expect(MAX_PACKET_BYTES).toBeGreaterThan(2 * 1024 * 1024 + 100)
    const m = createFrameMeter({ maxConnectBytes: 8192, maxPacketBytes: MAX_PACKET_BYTES })
    m.authenticated()
    expect(m.scan(publish(2 * 1024 * 1024))).toBeNull()
  })
})

describe('connection cap and open-file limit', () => {
  it('keeps descriptors free for the rest of the process: 1,024, or a quarter of a small limit', () => {
    expect(effectiveMaxConnections(12_000, 20_000)).toBe(12_000)
    expect(effectiveMaxConnections(12_000, 4096)).toBe(4096 - RESERVED_FDS)
    // systemd's default soft limit: 768 nodes rather than none.
    expect(effectiveMaxConnections(12_000, 1024)).toBe(768)
    expect(effectiveMaxConnections(12_000, null)).toBe(12_000)
    expect(effectiveMaxConnections(12_000, 1)).toBe(1)
  })

  it('reads the soft limit from a limits file', () => {
    const file = join(tmpdir(), `chorus-limits-${process.pid}`)
    writeFileSync(
      file,
      'Limit                     Soft Limit           Hard Limit           Units\n' +
        'Max open files            20000                524288               files\n',
    )
    expect(openFileLimit(file)).toBe(20_000)
    expect(openFileLimit(join(tmpdir(), 'no-such-limits-file'))).toBeNull()
  })
})

describe('createConnectRate', () => {
  it('allows a burst of sessions per node, then its rate per minute, and forgets idle nodes', () => {
    let now = 0
    const rate = createConnectRate(3, () => now)
    expect([1, 2, 3, 4].map(() => rate.allow('n1'))).toEqual([true, true, true, false])
    expect(rate.allow('n2')).toBe(true)
    now = 20_000 // one session back
    expect([rate.allow('n1'), rate.allow('n1')]).toEqual([true, false])
    now = 200_000
    rate.allow('n3')
    expect(rate.size()).toBe(1)
  })
})
