import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import pino from 'pino'
import { describe, expect, it, onTestFinished } from 'vitest'
import { signingInput } from '../../protocol/index.js'
import { checkBatchSignatures, checkEventSignature, type EventRefusal } from './event-signature.js'
import { createVerifyPool } from './verify-pool.js'

function nodeKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const der = publicKey.export({ type: 'spki', format: 'der' })
  const keyId = createHash('sha256').update(der).digest('hex').slice(0, 16)
  const signed = <T extends Record<string, unknown>>(e: T, by: KeyObject = privateKey) => {
    const sig = { alg: 'Ed25519', keyId }
    const value = sign(null, signingInput({ ...e, sig }), by).toString('base64')
    return { ...e, sig: { ...sig, value } }
  }
  return { key: { key: publicKey, keyId }, signed }
}

const event = (id: string) => ({ id, type: 'play.failed', at: '2026-11-27T08:00:00.000Z' })

describe('signature checks on worker threads', () => {
  it('gives the inline answer for every event and hands messages back in the order they came', async () => {
    const pool = createVerifyPool({ threads: 2, log: pino({ level: 'silent' }), inlinePerTurn: 0 })
    onTestFinished(() => pool.stop())
    const a = nodeKey()
    const b = nodeKey()
    const other = generateKeyPairSync('ed25519').privateKey
    const messages = Array.from({ length: 60 }, (_, m) => {
      const k = m % 2 === 0 ? a : b
      const events = [
        k.signed(event(`m${m}-good`)),
        k.signed(event(`m${m}-forged`), other),
        { ...k.signed(event(`m${m}-altered`)), at: '2026-11-27T09:00:00.000Z' },
        event(`m${m}-unsigned`),
      ]
      return { nodeId: m % 2 === 0 ? 'a' : 'b', key: k.key, events }
    })
    const answered: { m: number; refusals: (EventRefusal | null)[] }[] = []
    messages.forEach((msg, m) => {
      pool.check(msg.nodeId, msg.key, { events: msg.events }, (refusals) =>
        answered.push({ m, refusals }),
      )
    })
    // Nothing was checked inline: every answer comes from a worker thread.
    expect(answered).toEqual([])
    await pool.drained()
    expect(answered.map((x) => x.m)).toEqual(messages.map((_, m) => m))
    for (const { m, refusals } of answered) {
      const msg = messages[m] as (typeof messages)[number]
      expect(refusals).toEqual(msg.events.map((e) => checkEventSignature(msg.key, e)))
      expect(refusals).toEqual([null, 'bad-signature', 'bad-signature', 'unsigned'])
    }
    expect(pool.stats()).toMatchObject({ inline: 0, threaded: 240, workersStarted: 2 })
  }, 120_000)

  it('checks inline while quiet, and keeps the order when a quick message follows a busy one', async () => {
    const pool = createVerifyPool({ threads: 1, log: pino({ level: 'silent' }), inlinePerTurn: 3 })
    onTestFinished(() => pool.stop())
    const a = nodeKey()
    const order: string[] = []
    // Three events fit the turn's inline allowance: answered at once, no thread started.
    pool.check('a', a.key, { events: [a.signed(event('1')), a.signed(event('2'))] }, () =>
      order.push('first'),
    )
    expect(order).toEqual(['first'])
    // Over the allowance: to the worker; the next (no key: refused inline) waits its turn.
    pool.check('a', a.key, { events: [a.signed(event('3')), a.signed(event('4'))] }, () =>
      order.push('busy'),
    )
    pool.check('n', null, { events: [event('5')] }, (r) => order.push(`after:${r.join()}`))
    expect(order).toEqual(['first'])
    await pool.drained()
    expect(order).toEqual(['first', 'busy', 'after:no-key'])
    expect(pool.stats()).toMatchObject({ inline: 3, threaded: 2, workersStarted: 1 })
  }, 120_000)

  it('checks a message signed as a whole once: every event takes its verdict, on a thread or inline', async () => {
    const pool = createVerifyPool({ threads: 1, log: pino({ level: 'silent' }), inlinePerTurn: 1 })
    onTestFinished(() => pool.stop())
    const a = nodeKey()
    const other = generateKeyPairSync('ed25519').privateKey
    const events = Array.from({ length: 50 }, (_, i) => event(`b${i}`))
    const good = a.signed({ v: 1, events })
    const forged = a.signed({ v: 1, events }, other)
    // One event changed after signing: the whole message is refused, none of it is stored.
    const altered = { ...good, events: [...events.slice(0, 49), event('b49-swapped')] }
    const unsigned = { v: 1, events }
    const got: (EventRefusal | null)[][] = []
    for (const m of [good, forged, altered, unsigned]) pool.check('a', a.key, m, (r) => got.push(r))
    await pool.drained()
    expect(got.map((r) => [...new Set(r)])).toEqual([
      [null],
      ['bad-signature'],
      ['bad-signature'],
      ['unsigned'],
    ])
    expect(got.every((r) => r.length === 50)).toBe(true)
    expect(checkBatchSignatures(a.key, good)).toEqual(got[0])
    // One verification per message signed as a whole; 50 for the one signed event by event.
    expect(pool.stats().inline + pool.stats().threaded).toBe(1 + 1 + 1 + 50)
  }, 120_000)
})
