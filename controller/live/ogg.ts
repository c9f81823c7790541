/**
 * @module live/ogg
 * Splits an Ogg byte stream (what ffmpeg's `ogg` muxer writes) into whole pages, so a live
 * session can be fanned out page by page: a listener that joins late gets the stream's header
 * pages and then whole pages from where the session is, never half a page. Each page's granule
 * position (48 kHz samples for Opus) is its media time.
 */

/** One Ogg page: its bytes and its granule position (-1: no packet ends on it). */
export interface OggPage {
  bytes: Buffer
  granule: number
  /** The stream's header pages (OpusHead, OpusTags): granule 0 before any audio. */
  header: boolean
}

const HEADER_BYTES = 27

/** Incremental reader: feed chunks, get whole pages back. Throws on bytes that are not Ogg. */
export function createOggReader(): { push(chunk: Buffer): OggPage[] } {
  let pending: Buffer = Buffer.alloc(0)
  let audioSeen = false
  return {
    push(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      const pages: OggPage[] = []
      for (;;) {
        if (pending.length < HEADER_BYTES) break
        if (pending.toString('latin1', 0, 4) !== 'OggS') throw new Error('not an Ogg stream')
        const segments = pending.readUInt8(26)
        if (pending.length < HEADER_BYTES + segments) break
        let body = 0
        for (let i = 0; i < segments; i++) body += pending.readUInt8(HEADER_BYTES + i)
        const size = HEADER_BYTES + segments + body
        if (pending.length < size) break
        const bytes = Buffer.from(pending.subarray(0, size))
        pending = pending.subarray(size)
        const granule = Number(bytes.readBigInt64LE(6))
        const header = !audioSeen && granule === 0
        if (!header) audioSeen = true
        pages.push({ bytes, granule, header })
      }
      return pages
    },
  }
}

/** Opus granule positions count 48 kHz samples. */
export const OPUS_RATE = 48_000

/** Media time of a granule position, ms. */
export function granuleMs(granule: number): number {
  return granule <= 0 ? 0 : Math.round((granule * 1000) / OPUS_RATE)
}
