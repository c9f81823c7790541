/**
 * @module audio/sinks/alsa
 * The `alsa:<device>` sink: plays through an ALSA PCM device (`default`, `hw:0,0`, `plughw:1`),
 * which is how a node drives its amplifier. An ffmpeg process reading raw PCM on its stdin is
 * started when the playback is prepared; the device's pace holds the feed back.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { AudioError } from '../errors.js'
import { stderrTail } from '../parse-stderr.js'
import { createStderrCollector } from '../run-ffmpeg.js'
import type { PcmFormat } from './decoder.js'
import { type PcmOutput, playNow, prepareThrough } from './preroll.js'
import type { Sink, SinkDeps } from './types.js'

/**
 * ms from handing a sample to ffmpeg to hearing it, added to `firstSampleAt`: ffmpeg's ALSA
 * output opens the device on the first packet and starts once one period is queued. An estimate,
 * not measured on a node (no sound card on the build machine).
 */
export const ALSA_DELAY_MS = 25

/** Creates a sink that plays to the ALSA device `device`. */
export function createAlsaSink(device: string, deps: SinkDeps): Sink {
  const open = (format: PcmFormat) => openAlsa(deps.ffmpegPath, device, format)
  return {
    spec: `alsa:${device}`,
    prepare: (file, opts) => prepareThrough(deps, file, opts, open),
    play: (file, opts) => playNow(deps, file, opts, open),
  }
}

async function openAlsa(ffmpegPath: string, device: string, f: PcmFormat): Promise<PcmOutput> {
  const args = ['-hide_banner', '-loglevel', 'level+info', '-f', 's16le', '-ar', `${f.sampleRate}`]
  args.push('-ac', `${f.channels}`, '-i', 'pipe:0', '-f', 'alsa', device)
  const child = spawn(ffmpegPath, args, { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true })
  const stderr = createStderrCollector()
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  child.stdin.on('error', () => undefined) // EPIPE when ffmpeg died: reported by its exit
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null))
    child.once('close', (code) => resolve(code))
  })
  const failure = async (): Promise<AudioError> =>
    new AudioError(
      'AUDIO_SINK',
      `cannot play to ${device} (exit ${await exited}):\n${stderrTail(stderr.text())}`,
    )
  return {
    async write(pcm) {
      if (child.exitCode !== null || !child.stdin.writable) throw await failure()
      if (!child.stdin.write(pcm)) {
        await Promise.race([once(child.stdin, 'drain'), exited])
      }
    },
    async close() {
      child.stdin.end()
      if ((await exited) !== 0) throw await failure()
    },
    async discard() {
      child.stdin.destroy()
      child.kill('SIGKILL')
      await exited
    },
    delayMs: ALSA_DELAY_MS,
    leadMs: 300,
    output: device,
  }
}
