import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveFfmpegPath } from '../../audio/index.js'
import { chirp } from '../../testing/live-audio.js'
import { createManualClock } from '../../testing/manual-clock.js'
import { startSession } from './session.js'

const ffmpegPath = resolveFfmpegPath()
const dir = mkdtempSync(join(tmpdir(), 'chorus-live-session-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The first frame of `file` (Ogg Opus) louder than half the chirp's amplitude. */
function onsetFrame(file: string): number {
  const r = spawnSync(ffmpegPath, ['-loglevel', 'error', '-i', file, '-f', 's16le', 'pipe:1'])
  const s = new Int16Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length / 2)
  return s.findIndex((x) => Math.abs(x) > 8000)
}

describe('live session media time', () => {
  it('a PCM source that starts after the open is preceded by silence: media time 0 is the open', async () => {
    const clock = createManualClock()
    const recordingPath = join(dir, 'late-source.ogg')
    const session = startSession({
      id: 'late',
      kind: 'voice',
      source: { pcm: true },
      ffmpegPath,
      recordingPath,
      clock,
      log: pino({ level: 'silent' }),
      onFailed: () => undefined,
      openedAt: clock.now(),
    })
    // The speaker's first words come 600 ms after the session opened (a microphone's start-up).
    await clock.advance(600)
    const words = chirp(0.3)
    session.write(Buffer.from(words.buffer, words.byteOffset, words.byteLength))
    await session.finish()
    // They lie 600 ms into the stream (the codec's start-up trims a few tens of ms at most).
    const at = onsetFrame(recordingPath) / 48
    expect(at).toBeGreaterThan(500)
    expect(at).toBeLessThan(620)
  })
})
