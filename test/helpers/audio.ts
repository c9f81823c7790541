import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { generateTone, resolveFfmpegPath } from '../../audio/index.js'

/** The ffmpeg binary the tests use (resolved as PRODUCT.md says). */
export const ffmpegPath = resolveFfmpegPath()

/** Generates a tone file in `dir` and returns its path. */
export async function makeTone(
  dir: string,
  name: string,
  seconds: number,
  frequencyHz = 440,
  format: 'mp3' | 'wav' = 'wav',
): Promise<string> {
  const file = join(dir, `${name}.${format}`)
  await generateTone(ffmpegPath, file, { seconds, frequencyHz, format })
  return file
}

/** Decodes a file to mono 16-bit PCM at 44.1 kHz and returns the PCM's sha256 and duration. */
export function decodedPcm(file: string): { sha256: string; durationMs: number } {
  const r = spawnSync(
    ffmpegPath,
    ['-hide_banner', '-nostdin', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '44100', '-'],
    { maxBuffer: 512 * 1024 * 1024 },
  )
  if (r.status !== 0) throw new Error(`ffmpeg decode of ${file} failed: ${r.stderr.toString()}`)
  const pcm = r.stdout
  return {
    sha256: createHash('sha256').update(pcm).digest('hex'),
    durationMs: (pcm.length / 2 / 44100) * 1000,
  }
}
