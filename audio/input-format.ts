/**
 * @module audio/input-format
 * Chooses ffmpeg's demuxer for an untrusted file from its first bytes, never from ffmpeg's own
 * probing: probing would pick the HLS, concat or other playlist demuxers, which open further
 * files and URLs named inside the file (a ".mp3" that is an HLS playlist pointing at
 * `../../secret.m4a` makes ffmpeg read that file). Only demuxers that read nothing but their own
 * input are chosen, and only the `file` protocol is allowed.
 */
import { open } from 'node:fs/promises'
import { AudioError } from './errors.js'

/** The ffmpeg demuxers an input may be read with: mp3, wav, mov (M4A/MP4), ogg, flac. */
export type InputFormat = 'mp3' | 'wav' | 'mov' | 'ogg' | 'flac'

/** Formats accepted, as the uploader knows them. */
export const ACCEPTED_FORMATS_TEXT = 'MP3, WAV, M4A, Ogg or FLAC'

/** Bytes read from the start of a file to recognise it. */
const HEAD_BYTES = 12

/** The demuxer for these first bytes, or undefined when they are none of the accepted formats. */
export function formatFromMagic(head: Uint8Array): InputFormat | undefined {
  const ascii = (from: number, to: number) =>
    Buffer.from(head.subarray(from, to)).toString('latin1')
  if (ascii(0, 3) === 'ID3') return 'mp3'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav'
  if (ascii(4, 8) === 'ftyp') return 'mov'
  if (ascii(0, 4) === 'OggS') return 'ogg'
  if (ascii(0, 4) === 'fLaC') return 'flac'
  // An MPEG audio frame header: 11 sync bits, a known version, and layer I, II or III.
  const [b0 = 0, b1 = 0] = head
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0) {
    return 'mp3'
  }
  return undefined
}

/** Reads the first bytes of `file` and returns its demuxer; throws `AUDIO_FORMAT` otherwise. */
export async function sniffInputFormat(file: string): Promise<InputFormat> {
  let head: Buffer
  try {
    const fh = await open(file, 'r')
    try {
      const buf = Buffer.alloc(HEAD_BYTES)
      const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0)
      head = buf.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  } catch (err) {
    throw new AudioError('AUDIO_PROBE', `cannot read "${file}"`, { cause: err })
  }
  if (head.length === 0) throw new AudioError('AUDIO_EMPTY', `"${file}" is empty (0 bytes)`)
  const format = formatFromMagic(head)
  if (format === undefined) {
    throw new AudioError(
      'AUDIO_FORMAT',
      `"${file}" is not ${ACCEPTED_FORMATS_TEXT} (first bytes ${head.toString('hex')})`,
    )
  }
  return format
}

/**
 * ffmpeg input options for `file` read with `format`: only the `file` protocol, this demuxer and
 * no other, and the path marked as a file so that no `scheme:` inside it is ever a protocol.
 */
export function inputArgs(file: string, format: InputFormat): string[] {
  // MP4 "data references" can name other files; ffmpeg ignores them unless told otherwise, and
  // this says so explicitly rather than trusting the build's default.
  const demuxer = format === 'mov' ? ['-enable_drefs', '0'] : []
  return ['-protocol_whitelist', 'file', '-f', format, ...demuxer, '-i', `file:${file}`]
}
