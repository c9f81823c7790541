import { generateKeyPairSync, sign } from 'node:crypto'
import { signingInput } from '../../protocol/index.js'
import { keyIdOf } from '../verify.js'

/** A stand-in for the controller's signing key in agent tests: signs plans and commands. */
export function createTestSigner() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const keyId = keyIdOf(publicKey)
  let seq = Date.now() * 1000
  return {
    /** The public key, as an agent's `controllerKey` config. */
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    /** The message with a fresh signature. */
    sign<T extends object>(message: T): T & { sig: object } {
      seq++
      const meta = { alg: 'Ed25519' as const, keyId, seq, value: '' }
      const value = sign(null, signingInput({ ...message, sig: meta }), privateKey).toString(
        'base64',
      )
      return { ...message, sig: { ...meta, value } }
    },
  }
}
