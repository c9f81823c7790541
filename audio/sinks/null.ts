/**
 * @module audio/sinks/null
 * The `null` sink: decodes in real time and discards the audio. For nodes without a sound card
 * and for load tests; the level is still measured.
 */
import { playThrough } from './play.js'
import type { Sink, SinkDeps } from './types.js'

/** Creates the `null` sink. */
export function createNullSink(deps: SinkDeps): Sink {
  return {
    spec: 'null',
    play: (file, opts) => playThrough(deps, file, opts, { args: ['-f', 'null', '-'] }),
  }
}
