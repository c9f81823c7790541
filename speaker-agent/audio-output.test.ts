import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import {
  AudioError,
  createAlsaSink,
  createNullSink,
  generateTone,
  resolveFfmpegPath,
  type Sink,
} from '../audio/index.js'
import { cardOf, createAudioOutputMonitor, listedCards } from './audio-output.js'
import { makeTempDir } from './testing/tmp-dir.js'

const ffmpegPath = resolveFfmpegPath()
const ONE_CARD = [
  ' 0 [PCH            ]: HDA-Intel - HDA Intel PCH',
  '                      HDA Intel PCH at 0xf7f10000 irq 32',
  '',
].join('\n')
const NO_CARDS = '--- no soundcards ---\n'

async function tone(): Promise<string> {
  const { dir, cleanup } = await makeTempDir()
  onTestFinished(cleanup)
  const file = join(dir, 'tone.wav')
  await generateTone(ffmpegPath, file, { seconds: 0.1, frequencyHz: 440, format: 'wav' })
  return file
}

function monitorFor(spec: string, cards: string | null, platform = 'linux') {
  return createAudioOutputMonitor({
    sinkSpec: () => spec,
    readCards: () => Promise.resolve(cards),
    platform,
  })
}

describe('audio output monitor', () => {
  it('reads the card list and the card a device names', () => {
    expect(listedCards(ONE_CARD)).toEqual([{ index: '0', id: 'PCH' }])
    expect(listedCards(NO_CARDS)).toEqual([])
    expect(listedCards('')).toEqual([])
    expect(cardOf('default')).toBeNull()
    expect(cardOf('dmix')).toBeNull()
    expect(cardOf('hw:1,0')).toBe('1')
    expect(cardOf('plughw:CARD=PCH,DEV=0')).toBe('PCH')
    expect(cardOf('front:CARD=USB,DEV=0')).toBe('USB')
    expect(cardOf('hw:PCH')).toBe('PCH')
    expect(cardOf('hw:DEV=0')).toBeNull()
  })

  it('reports an alsa output as missing when no sound card is listed', async () => {
    expect(await monitorFor('alsa:default', NO_CARDS).report()).toMatchObject({
      state: 'missing',
      lastPlay: null,
      error: expect.stringContaining('/proc/asound/cards'),
    })
    expect(await monitorFor('alsa:default', null).report()).toMatchObject({ state: 'missing' })
    expect(await monitorFor('alsa:default', null, 'darwin').report()).toEqual({
      state: 'unknown',
      lastPlay: null,
    })
    expect(await monitorFor('alsa:default', ONE_CARD).report()).toEqual({
      state: 'ok',
      lastPlay: null,
    })
    expect(await monitorFor('alsa:plughw:CARD=PCH,DEV=0', ONE_CARD).report()).toMatchObject({
      state: 'ok',
    })
    expect(await monitorFor('alsa:hw:1,0', ONE_CARD).report()).toMatchObject({
      state: 'missing',
      error: 'card 1 of hw:1,0 not listed in /proc/asound/cards',
    })
  })

  it('reports missing when the device could not be opened, and ok after a good play', async () => {
    const file = await tone()
    const monitor = monitorFor('alsa:default', ONE_CARD)
    const cannotOpen: Pick<Sink, 'play' | 'prepare'> = {
      prepare: () => Promise.reject(new Error('not used')),
      play: () =>
        Promise.reject(
          new AudioError(
            'AUDIO_SINK',
            'cannot play "x" to default:\n[alsa @ 0x1] [error] cannot open audio device default',
          ),
        ),
    }
    await expect(monitor.wrap(cannotOpen).play(file, { name: 't' })).rejects.toThrow()
    expect(await monitor.report()).toMatchObject({
      state: 'missing',
      lastPlay: 'error',
      error: expect.stringMatching(/cannot open audio device/),
    })
    const good = monitor.wrap(createNullSink({ ffmpegPath }))
    await good.play(file, { name: 't' })
    expect(await monitor.report()).toEqual({ state: 'ok', lastPlay: 'ok' })
  })

  it('records a real ALSA failure of ffmpeg', async () => {
    const file = await tone()
    const monitor = monitorFor('alsa:hw:9,0', ONE_CARD)
    // No card 9 here (nor any card on a CI machine): real ffmpeg fails to open the device.
    const alsa = monitor.wrap(createAlsaSink('hw:9,0', { ffmpegPath }))
    await expect(alsa.play(file, { name: 't' })).rejects.toMatchObject({ code: 'AUDIO_SINK' })
    expect(await monitor.report()).toMatchObject({ state: 'missing', lastPlay: 'error' })
  })

  it('reports error for another output failure, and keeps it through a decode failure', async () => {
    const monitor = monitorFor('alsa:default', ONE_CARD)
    const failing: Pick<Sink, 'play' | 'prepare'> = {
      prepare: () => Promise.reject(new Error('not used')),
      play: () => Promise.reject(new AudioError('AUDIO_SINK', 'cannot play: No space left')),
    }
    await expect(monitor.wrap(failing).play('x', { name: 'x' })).rejects.toThrow()
    expect(await monitor.report()).toEqual({
      state: 'error',
      lastPlay: 'error',
      error: 'cannot play: No space left',
    })
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const junk = join(dir, 'junk.mp3')
    await writeFile(junk, 'not audio at all')
    const decode = monitor.wrap(createNullSink({ ffmpegPath }))
    await expect(decode.play(junk, { name: 'j' })).rejects.toBeInstanceOf(AudioError)
    expect(await monitor.report()).toMatchObject({ state: 'error', lastPlay: 'error' })
  })

  it('ignores an aborted play, and reports null and wav outputs as ok', async () => {
    const file = await tone()
    const monitor = monitorFor('null', null)
    const sink = monitor.wrap(createNullSink({ ffmpegPath }))
    const aborted = new AbortController()
    aborted.abort()
    await expect(sink.play(file, { name: 't', signal: aborted.signal })).rejects.toThrow()
    expect(await monitor.report()).toEqual({ state: 'ok', lastPlay: null })
    const failing: Pick<Sink, 'play' | 'prepare'> = {
      prepare: () => Promise.reject(new Error('not used')),
      play: () => Promise.reject(new AudioError('AUDIO_SINK', 'cannot open audio device x')),
    }
    await expect(monitor.wrap(failing).play('x', { name: 'x' })).rejects.toThrow()
    expect(await monitorFor('wav:/tmp/x', null).report()).toEqual({ state: 'ok', lastPlay: null })
    expect(await monitor.report()).toEqual({ state: 'ok', lastPlay: 'error' })
  })
})
