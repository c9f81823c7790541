import { describe, expect, it } from 'vitest'
import { createOggReader, granuleMs } from './ogg.js'

/** One Ogg page with `body` bytes of payload (in 255-byte lacing) and this granule position. */
function page(granule: number, body: number): Buffer {
  const segments: number[] = []
  for (let left = body; left >= 0; left -= 255) segments.push(Math.min(255, left))
  const h = Buffer.alloc(27 + segments.length)
  h.write('OggS', 0, 'latin1')
  h.writeBigInt64LE(BigInt(granule), 6)
  h.writeUInt8(segments.length, 26)
  for (const [i, s] of segments.entries()) h.writeUInt8(s, 27 + i)
  return Buffer.concat([h, Buffer.alloc(body, 7)])
}

describe('Ogg page reader', () => {
  it('returns whole pages however the bytes are cut, header pages marked', () => {
    const stream = Buffer.concat([page(0, 19), page(0, 40), page(1272, 300), page(2232, 80)])
    const reader = createOggReader()
    const pages = []
    for (let at = 0; at < stream.length; at += 7)
      pages.push(...reader.push(stream.subarray(at, at + 7)))
    expect(pages.map((p) => [p.granule, p.header])).toEqual([
      [0, true],
      [0, true],
      [1272, false],
      [2232, false],
    ])
    expect(Buffer.concat(pages.map((p) => p.bytes)).equals(stream)).toBe(true)
    expect(granuleMs(2232)).toBe(47)
  })

  it('refuses bytes that are not Ogg', () => {
    expect(() => createOggReader().push(Buffer.from('RIFF0000WAVEfmt 0000000000000000'))).toThrow(
      /not an Ogg stream/,
    )
  })
})
