import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AudioError } from './errors.js'
import { resolveFfmpegPath } from './ffmpeg-path.js'

const require = createRequire(import.meta.url)
const installerPath = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path

/** What the packages should resolve to: ffmpeg-static is optional and usually absent. */
function packagedPath(): string {
  try {
    const staticPath = require('ffmpeg-static') as string | null
    if (staticPath !== null && existsSync(staticPath)) return staticPath
  } catch {
    // not installed: its binary download fails on closed networks (PRODUCT.md, "ffmpeg")
  }
  return installerPath
}

describe('resolveFfmpegPath', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-ffmpeg-path-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('returns FFMPEG_PATH when it names an existing file, ahead of every package', async () => {
    const fake = path.join(dir, 'my-ffmpeg')
    await writeFile(fake, '')
    expect(resolveFfmpegPath({ FFMPEG_PATH: fake, PATH: '' })).toBe(fake)
  })

  it('fails with AUDIO_FFMPEG_MISSING naming FFMPEG_PATH when that file does not exist', () => {
    const missing = path.join(dir, 'nope', 'ffmpeg')
    let caught: unknown
    try {
      resolveFfmpegPath({ FFMPEG_PATH: missing })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AudioError)
    expect((caught as AudioError).code).toBe('AUDIO_FFMPEG_MISSING')
    expect((caught as AudioError).message).toContain('FFMPEG_PATH')
    expect((caught as AudioError).message).toContain(missing)
  })

  it('falls back to @ffmpeg-installer/ffmpeg when nothing earlier is available', () => {
    expect(resolveFfmpegPath({ PATH: '' })).toBe(packagedPath())
  })

  it('prefers an executable bin/ffmpeg beside the bundled agent to the packages', async () => {
    const beside = await mkdtemp(path.join(dir, 'bundle-'))
    await mkdir(path.join(beside, 'bin'))
    const bundled = path.join(beside, 'bin', 'ffmpeg')
    await writeFile(bundled, '', { mode: 0o755 })
    expect(resolveFfmpegPath({ PATH: '' }, { besideDir: beside })).toBe(bundled)
    const fake = path.join(dir, 'env-ffmpeg')
    await writeFile(fake, '')
    expect(resolveFfmpegPath({ FFMPEG_PATH: fake }, { besideDir: beside })).toBe(fake)
    await chmod(bundled, 0o644)
    expect(resolveFfmpegPath({ PATH: '' }, { besideDir: beside })).toBe(packagedPath())
  })

  it('with preferSystem, takes ffmpeg on PATH before the npm packages, FFMPEG_PATH still first', async () => {
    const bin = path.join(dir, 'system-bin')
    await mkdir(bin, { recursive: true })
    const system = path.join(bin, 'ffmpeg')
    await writeFile(system, '', { mode: 0o755 })
    expect(resolveFfmpegPath({ PATH: bin }, { preferSystem: true })).toBe(system)
    expect(resolveFfmpegPath({ PATH: bin })).toBe(packagedPath())
    const fake = path.join(dir, 'env-ffmpeg-2')
    await writeFile(fake, '')
    expect(resolveFfmpegPath({ PATH: bin, FFMPEG_PATH: fake }, { preferSystem: true })).toBe(fake)
    expect(resolveFfmpegPath({ PATH: '' }, { preferSystem: true })).toBe(packagedPath())
  })

  it('treats an empty FFMPEG_PATH as unset', () => {
    expect(resolveFfmpegPath({ FFMPEG_PATH: '', PATH: '' })).toBe(packagedPath())
  })
})
