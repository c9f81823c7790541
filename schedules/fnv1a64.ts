/**
 * @module fnv1a64
 * FNV-1a 64-bit over UTF-8, in pure TypeScript with four 16-bit limbs (no BigInt, no
 * node:crypto), so `schedules/` stays free of Node built-ins. Not cryptographic: it names plan
 * contents, it does not protect them. Reference: http://www.isthe.com/chongo/tech/comp/fnv/
 */

/** FNV-1a 64-bit hash of the UTF-8 bytes of `text`, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
  // Offset basis 0xcbf29ce484222325, least significant limb first.
  let h0 = 0x2325
  let h1 = 0x8422
  let h2 = 0x9ce4
  let h3 = 0xcbf2
  const bytes = new TextEncoder().encode(text)
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i] as number
    // Multiply by the prime 2^40 + 0x1b3: limb × 0x1b3 (= 435), plus the limbs shifted by 40 bits
    // (limb i lands 8 bits into limb i + 2), carrying 16 bits at a time.
    const t0 = h0 * 435
    let t1 = h1 * 435
    let t2 = h2 * 435 + (h0 << 8)
    const t3 = h3 * 435 + (h1 << 8)
    t1 += t0 >>> 16
    t2 += t1 >>> 16
    h0 = t0 & 0xffff
    h1 = t1 & 0xffff
    h3 = (t3 + (t2 >>> 16)) & 0xffff
    h2 = t2 & 0xffff
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('')
}
