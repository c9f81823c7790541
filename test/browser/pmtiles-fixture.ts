import { crc32, deflateSync } from 'node:zlib'

// A real, minimal PMTiles v3 archive for tests (https://github.com/protomaps/PMTiles spec v3):
// one raster tile at zoom 0, a 256 × 256 PNG of one colour, which MapLibre over-zooms to any
// view. Written here because the `pmtiles` package only reads archives.

/** A 256 × 256 PNG of one RGB colour. */
export function solidPng([r, g, b]: readonly [number, number, number], size = 256): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(8 + data.length + 4)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body), 8 + data.length)
    return out
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8 bits, RGB, deflate, no filter method, no interlace
  const row = Buffer.alloc(1 + size * 3)
  for (let x = 0; x < size; x++) row.set([r, g, b], 1 + x * 3)
  const raw = Buffer.concat(Array.from({ length: size }, () => row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function varints(values: number[]): Buffer {
  const bytes: number[] = []
  for (let v of values) {
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80)
      v = Math.floor(v / 128)
    }
    bytes.push(v)
  }
  return Buffer.from(bytes)
}

/** The archive: header, root directory (one entry: tile 0), metadata `{}`, the tile. */
export function rasterPmtiles(colour: readonly [number, number, number]): Buffer {
  const tile = solidPng(colour)
  // Directory: count; tile id deltas; run lengths; lengths; offsets (+1).
  const dir = varints([1, 0, 1, tile.length, 1])
  const meta = Buffer.from('{}')
  const header = Buffer.alloc(127)
  header.write('PMTiles', 0, 'ascii')
  header.writeUInt8(3, 7)
  const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at)
  const dirAt = 127
  const metaAt = dirAt + dir.length
  const dataAt = metaAt + meta.length
  u64(8, dirAt)
  u64(16, dir.length)
  u64(24, metaAt)
  u64(32, meta.length)
  u64(40, dataAt) // no leaf directories
  u64(48, 0)
  u64(56, dataAt)
  u64(64, tile.length)
  u64(72, 1) // addressed tiles
  u64(80, 1) // tile entries
  u64(88, 1) // tile contents
  header.writeUInt8(1, 96) // clustered
  header.writeUInt8(1, 97) // internal compression: none
  header.writeUInt8(1, 98) // tile compression: none
  header.writeUInt8(2, 99) // tile type: PNG
  header.writeUInt8(0, 100) // min zoom
  header.writeUInt8(0, 101) // max zoom
  header.writeInt32LE(-180e7, 102)
  header.writeInt32LE(-85e7, 106)
  header.writeInt32LE(180e7, 110)
  header.writeInt32LE(85e7, 114)
  header.writeUInt8(0, 118)
  header.writeInt32LE(Math.round(101.76e7), 119)
  header.writeInt32LE(Math.round(36.66e7), 123)
  return Buffer.concat([header, dir, meta, tile])
}
