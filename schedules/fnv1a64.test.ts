import { describe, expect, it } from 'vitest'
import { fnv1a64 } from './fnv1a64.js'

/** Straightforward BigInt FNV-1a 64 to check the 16-bit-limb version against. */
function reference(text: string): string {
  let h = 0xcbf29ce484222325n
  for (const byte of new TextEncoder().encode(text)) {
    h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return h.toString(16).padStart(16, '0')
}

describe('fnv1a64', () => {
  // Test vectors from the FNV reference page (http://www.isthe.com/chongo/tech/comp/fnv/).
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('hashes %j to the published vector %s', (text, hash) => {
    expect(fnv1a64(text)).toBe(hash)
  })

  it.each([
    ['Chinese text', '城北之声'],
    ['village names', '严小村 · 晋家湾 · 宋家寨'],
    ['a four-byte character', '\u{1F4E2} emoji'],
    ['ten thousand bytes', 'x'.repeat(10_000)],
  ])('agrees with a BigInt reference on %s (UTF-8 bytes)', (_, text) => {
    expect(fnv1a64(text)).toBe(reference(text))
  })
})
