/**
 * @module audio/sinks
 * Audio outputs chosen by a spec string, the way MQTT.js picks a stream builder from a URL
 * scheme (STYLE.md rule 20): `null`, `wav:<dir>`, `alsa:<device>`.
 */
import { AudioError } from '../errors.js'
import { createAlsaSink } from './alsa.js'
import { createNullSink } from './null.js'
import type { Sink, SinkDeps } from './types.js'
import { createWavSink } from './wav.js'

export { createAlsaSink } from './alsa.js'
export { createNullSink } from './null.js'
export { type PaceClock, realPaceClock } from './pace.js'
export type { PlayOptions, PlayResult, Prepared, Sink, SinkDeps, Started } from './types.js'
export { createWavSink, type WavStart, wavHeader } from './wav.js'

/** The sink spec forms {@link createSink} accepts, for help texts and error messages. */
export const SINK_SPEC_FORMS = ['null', 'wav:<dir>', 'alsa:<device>'] as const

/** Creates the sink a spec names: `null`, `wav:<dir>` or `alsa:<device>` (e.g. `alsa:default`). */
export function createSink(spec: string, deps: SinkDeps): Sink {
  if (spec === 'null') return createNullSink(deps)
  const match = /^(wav|alsa):(.+)$/.exec(spec)
  const kind = match?.[1]
  const where = match?.[2]
  if (kind === 'wav' && where !== undefined) return createWavSink(where, deps)
  if (kind === 'alsa' && where !== undefined) return createAlsaSink(where, deps)
  throw new AudioError(
    'AUDIO_SINK',
    `unknown sink "${spec}": use ${SINK_SPEC_FORMS.map((f) => `"${f}"`).join(', ')} ` +
      '(for example "alsa:default")',
  )
}
