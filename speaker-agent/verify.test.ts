import { generateKeyPairSync, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ITEMS_DIGEST_ALG, signingInput } from '../protocol/index.js'
import { createVerifier, itemsDigestOf, keyIdOf } from './verify.js'

function signer() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const keyId = keyIdOf(publicKey)
  return {
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign<T extends object>(msg: T, seq: number) {
      const meta = { alg: 'Ed25519' as const, keyId, seq, value: '' }
      const value = sign(null, signingInput({ ...msg, sig: meta }), privateKey).toString('base64')
      return { ...msg, sig: { ...meta, value } }
    },
    /** As the controller signs plans: over the items' digest. */
    signPlan<T extends { items: unknown[] }>(msg: T, seq: number) {
      const meta = { alg: ITEMS_DIGEST_ALG as typeof ITEMS_DIGEST_ALG, keyId, seq, value: '' }
      const input = signingInput({ ...msg, sig: meta }, undefined, itemsDigestOf(msg.items))
      return { ...msg, sig: { ...meta, value: sign(null, input, privateKey).toString('base64') } }
    },
  }
}

describe('createVerifier', () => {
  const s = signer()
  const v = createVerifier(s.pem)
  const msg = { v: 1, id: 'c1', kind: 'testTone', nodeId: 'n1' }

  it('accepts a message signed by the controller with a new sequence number', () => {
    expect(v.check(s.sign(msg, 10), 9)).toEqual({ ok: true, seq: 10 })
  })

  it('refuses an unsigned message, another key, a tampered message and a replay', () => {
    expect(v.check(msg, 0)).toEqual({ ok: false, reason: 'unsigned' })
    expect(v.check(signer().sign(msg, 10), 0)).toEqual({ ok: false, reason: 'unknown-key' })
    const signed = s.sign(msg, 10)
    expect(v.check({ ...signed, kind: 'restart' }, 0)).toEqual({
      ok: false,
      reason: 'bad-signature',
    })
    expect(v.check({ ...signed, sig: { ...signed.sig, seq: 11 } }, 0)).toEqual({
      ok: false,
      reason: 'bad-signature',
    })
    expect(v.check(signed, 10)).toEqual({ ok: false, reason: 'replay' })
  })

  it('checks a plan signed over its items digest as strictly as one signed whole', () => {
    const item = { itemId: 'i1', startAt: '2026-12-07T08:00:00+08:00', title: '新闻', priority: 1 }
    const plan = { v: 1, nodeId: 'n1', version: 'v2', dates: ['2026-12-07'], items: [item] }
    const signed = s.signPlan(plan, 20)
    expect(v.check(signed, 19)).toEqual({ ok: true, seq: 20 })
    // Key order of the items as received does not matter (canonical JSON).
    const reordered = { ...signed, items: [Object.fromEntries(Object.entries(item).reverse())] }
    expect(v.check(reordered, 19)).toEqual({ ok: true, seq: 20 })
    const bad = { ok: false, reason: 'bad-signature' }
    expect(v.check({ ...signed, items: [{ ...item, title: '假' }] }, 0)).toEqual(bad)
    expect(v.check({ ...signed, items: [] }, 0)).toEqual(bad)
    expect(v.check({ ...signed, nodeId: 'n2' }, 0)).toEqual(bad)
    expect(v.check({ ...signed, sig: { ...signed.sig, seq: 21 } }, 0)).toEqual(bad)
    // The same signature presented as one over the whole message, or on a message without items.
    expect(v.check({ ...signed, sig: { ...signed.sig, alg: 'Ed25519' } }, 0)).toEqual(bad)
    const { items: _items, ...command } = signed
    expect(v.check(command, 0)).toEqual(bad)
    expect(v.check(signed, 20)).toEqual({ ok: false, reason: 'replay' })
  })

  it('refuses a key that is not Ed25519', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    expect(() =>
      createVerifier(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ).toThrow(/Ed25519/)
  })
})
