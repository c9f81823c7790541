/**
 * @module tones
 * Test-tone files for the `testTone` command, generated once per duration into
 * `<dataDir>/tones/` and reused. A technician may ask for any duration (0.1–60 s), so only the
 * few most recently used files are kept: the directory never grows past MAX_TONE_FILES.
 */
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { generateTone } from '../audio/index.js'

/** Tone files kept at most (the most recently used ones). */
export const MAX_TONE_FILES = 3

const TONE_RE = /^tone-1000hz-.+s\.wav$/

/** What toneFile needs. */
export interface ToneDeps {
  /** `<dataDir>/tones`. */
  dir: string
  ffmpegPath: () => string
  /** Epoch ms (the agent's clock); used as the file's last use. */
  now: () => number
  /** Aborts tone generation when the agent stops. */
  signal?: AbortSignal
}

/** A 1 kHz tone of `seconds`, generated on first use; older tone files beyond the cap are removed. */
export async function toneFile(deps: ToneDeps, seconds: number): Promise<string> {
  const { dir } = deps
  const file = join(dir, `tone-1000hz-${seconds}s.wav`)
  const usedAt = new Date(deps.now())
  try {
    await stat(file)
    await utimes(file, usedAt, usedAt)
    return file
  } catch {
    // Not generated yet.
  }
  await mkdir(dir, { recursive: true })
  const temp = join(dir, `.tmp-${deps.now()}-${Math.random().toString(36).slice(2)}.wav`)
  try {
    await generateTone(deps.ffmpegPath(), temp, {
      seconds,
      frequencyHz: 1000,
      format: 'wav',
      ...(deps.signal ? { signal: deps.signal } : {}),
    })
    await rename(temp, file)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  await utimes(file, usedAt, usedAt)
  await prune(dir, file)
  return file
}

/** Removes the least recently used tone files beyond MAX_TONE_FILES, never `keep`. */
async function prune(dir: string, keep: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => TONE_RE.test(n))
  if (names.length <= MAX_TONE_FILES) return
  const others = await Promise.all(
    names
      .map((n) => join(dir, n))
      .filter((p) => p !== keep)
      .map(async (path) => ({ path, at: (await stat(path)).mtimeMs })),
  )
  others.sort((a, b) => b.at - a.at)
  for (const old of others.slice(MAX_TONE_FILES - 1)) await rm(old.path, { force: true })
}
