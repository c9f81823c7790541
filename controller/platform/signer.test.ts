import { createPublicKey, verify } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type Signature, signingInput } from '../../protocol/index.js'
import { createSigner, SEQ_FILE, SEQ_RESERVE } from './signer.js'
import { clockWithNow } from './time.js'

const T = Date.parse('2026-12-06T08:00:00Z')
const dirs: string[] = []
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'chorus-signer-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const at = (ms: number) => clockWithNow(() => ms)
const m = (fields: Record<string, unknown>) => fields as { sig?: Signature }

describe('signer sequence numbers', () => {
  it('follow the clock forward and never go below a number used before a restart', () => {
    const dir = dataDir()
    const first = createSigner(dir, at(T))
    const a = first.sign(m({ n: 1 })).sig!.seq
    const b = first.sign(m({ n: 2 })).sig!.seq
    expect(a).toBe(T * 1000)
    expect(b).toBe(a + 1)

    // Restarted with the clock stepped back one hour (an NTP correction, a fixed RTC).
    const second = createSigner(dir, at(T - 3_600_000))
    const c = second.sign(m({ n: 3 })).sig!.seq
    expect(c).toBeGreaterThan(b)
    // and again, still stepped back: the floor read from disk keeps rising.
    const third = createSigner(dir, at(T - 3_600_000))
    const d = third.sign(m({ n: 4 })).sig!.seq
    expect(d).toBeGreaterThan(c)
    expect(third.floor()).toBeGreaterThanOrEqual(d)
  })

  it('persists the floor before a number is used, at most once per reserve block', () => {
    const dir = dataDir()
    const signer = createSigner(dir, at(T))
    const seqs = Array.from({ length: 1000 }, (_, i) => signer.sign(m({ i })).sig!.seq)
    const stored = JSON.parse(readFileSync(join(dir, 'keys', SEQ_FILE), 'utf8')) as {
      reserved: number
    }
    expect(stored.reserved).toBe(T * 1000 + SEQ_RESERVE)
    expect(Math.max(...seqs)).toBeLessThanOrEqual(stored.reserved)
  })

  it('signs messages the public key verifies, with the sequence number covered', () => {
    const signer = createSigner(dataDir(), at(T))
    const msg = signer.sign(m({ hello: 'world' }))
    const key = createPublicKey(signer.publicKeyPem)
    const good = verify(null, signingInput(msg), key, Buffer.from(msg.sig!.value, 'base64'))
    expect(good).toBe(true)
    const forged = { ...msg, sig: { ...msg.sig!, seq: msg.sig!.seq + 1 } }
    expect(verify(null, signingInput(forged), key, Buffer.from(msg.sig!.value, 'base64'))).toBe(
      false,
    )
  })

  it('refuses to start on a damaged floor file instead of guessing', () => {
    const dir = dataDir()
    createSigner(dir, at(T)).sign(m({}))
    writeFileSync(join(dir, 'keys', SEQ_FILE), '{"reserved":"soon"}')
    expect(() => createSigner(dir, at(T))).toThrow(
      expect.objectContaining({ code: 'SIGNER_STATE_INVALID' }),
    )
    writeFileSync(join(dir, 'keys', SEQ_FILE), 'not json')
    expect(() => createSigner(dir, at(T))).toThrow(/not valid JSON/)
  })
})

describe('signer floor reported by agents', () => {
  it('continues above a number an agent accepted, but not far ahead of the clock', () => {
    const dir = dataDir()
    const signer = createSigner(dir, at(T))
    const own = signer.sign(m({})).sig!.seq
    expect(signer.raiseFloor(own - 5)).toBe('unchanged')
    const reported = own + 3_600_000_000 // an hour ahead: signed before the clock stepped back
    expect(signer.raiseFloor(reported)).toBe('raised')
    expect(signer.sign(m({})).sig!.seq).toBe(reported + 1)
    // Persisted: a restart (clock still behind) stays above it.
    expect(createSigner(dir, at(T)).sign(m({})).sig!.seq).toBeGreaterThan(reported)
    const farAhead = (T + 30 * 86_400_000) * 1000
    expect(signer.raiseFloor(farAhead)).toBe('ignored')
    expect(signer.sign(m({})).sig!.seq).toBe(reported + 2)
  })
})
