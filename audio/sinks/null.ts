/**
 * @module audio/sinks/null
 * The `null` sink: decodes, paces in real time and discards the audio. For nodes without a sound
 * card and for load tests; the level is still measured.
 */
import { type OpenOutput, playNow, prepareThrough } from './preroll.js'
import type { Sink, SinkDeps } from './types.js'

const openNull: OpenOutput = async () => ({
  write: async () => undefined,
  close: async () => undefined,
  discard: async () => undefined,
  delayMs: 0,
  handoverMs: 300,
  leadMs: 100,
})

/** Creates the `null` sink. */
export function createNullSink(deps: SinkDeps): Sink {
  return {
    spec: 'null',
    prepare: (file, opts) => prepareThrough(deps, file, opts, openNull),
    play: (file, opts) => playNow(deps, file, opts, openNull),
  }
}
