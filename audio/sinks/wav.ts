/**
 * @module audio/sinks/wav
 * The `wav:<dir>` sink: records exactly what would have been played, at real-time pace, to
 * `<dir>/<name>.wav` (PCM s16le at the source's sample rate and channel count). Tests and the
 * demo listen through it.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { AudioError } from '../errors.js'
import { playThrough } from './play.js'
import type { Sink, SinkDeps } from './types.js'

/** Creates a sink that writes each playback to `<dir>/<name>.wav`. */
export function createWavSink(dir: string, deps: SinkDeps): Sink {
  return {
    spec: `wav:${dir}`,
    async play(file, opts) {
      const { name } = opts
      if (name === '' || name === '.' || name === '..' || path.basename(name) !== name) {
        throw new AudioError('AUDIO_SINK', `playback name "${name}" must be a plain file name`)
      }
      try {
        await mkdir(dir, { recursive: true })
      } catch (err) {
        throw new AudioError('AUDIO_SINK', `cannot create the wav sink directory "${dir}"`, {
          cause: err,
        })
      }
      const output = path.join(dir, `${name}.wav`)
      const args = ['-c:a', 'pcm_s16le', '-f', 'wav', `file:${output}`]
      return await playThrough(deps, file, opts, { args, output })
    },
  }
}
