/**
 * @module audio/sinks/alsa
 * The `alsa:<device>` sink: plays through an ALSA PCM device (`default`, `hw:0,0`, `plughw:1`),
 * which is how a node drives its amplifier.
 */
import { playThrough } from './play.js'
import type { Sink, SinkDeps } from './types.js'

/** Creates a sink that plays to the ALSA device `device`. */
export function createAlsaSink(device: string, deps: SinkDeps): Sink {
  return {
    spec: `alsa:${device}`,
    play: (file, opts) =>
      playThrough(deps, file, opts, { args: ['-f', 'alsa', device], output: device }),
  }
}
