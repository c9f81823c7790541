/**
 * @module audio/hash
 * Content hashes: audio files are stored and fetched by the SHA-256 of their bytes.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'

/** The SHA-256 of a file's bytes as lowercase hex, read as a stream (constant memory). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file), hash)
  return hash.digest('hex')
}
