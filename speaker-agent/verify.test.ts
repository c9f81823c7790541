import { generateKeyPairSync, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signingInput } from '../protocol/index.js'
import { createVerifier, keyIdOf } from './verify.js'

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

  it('refuses a key that is not Ed25519', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    expect(() =>
      createVerifier(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ).toThrow(/Ed25519/)
  })
})
