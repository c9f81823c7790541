import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { resolveFfmpegPath } from '../audio/index.js'
import { makeTempDir } from './testing/tmp-dir.js'
import { MAX_TONE_FILES, toneFile } from './tones.js'

const ffmpegPath = resolveFfmpegPath()

describe('test-tone files', () => {
  it('keeps at most a few tone files however many durations are asked for', async () => {
    const { dir: root, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const dir = join(root, 'tones')
    let now = Date.parse('2026-12-06T08:00:00Z')
    const deps = { dir, ffmpegPath: () => ffmpegPath, now: () => now }
    const files: string[] = []
    for (const seconds of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) {
      now += 1000
      files.push(await toneFile(deps, seconds))
    }
    const left = (await readdir(dir)).sort()
    expect(left).toHaveLength(MAX_TONE_FILES)
    // The most recently used survive, the newest among them.
    expect(left).toEqual(['tone-1000hz-0.4s.wav', 'tone-1000hz-0.5s.wav', 'tone-1000hz-0.6s.wav'])
    // Asking again for a kept duration reuses its file and marks it used.
    now += 1000
    expect(await toneFile(deps, 0.4)).toBe(files[3])
    now += 1000
    await toneFile(deps, 0.7)
    expect((await readdir(dir)).sort()).toEqual([
      'tone-1000hz-0.4s.wav',
      'tone-1000hz-0.6s.wav',
      'tone-1000hz-0.7s.wav',
    ])
  })
})
