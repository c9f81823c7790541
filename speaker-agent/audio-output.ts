import { readFile } from 'node:fs/promises'
import { isAudioError, type Prepared, type Sink } from '../audio/index.js'
import type { TelemetryMessage } from '../protocol/index.js'
import { errorMessage } from './errors.js'

/** Telemetry `audioOutput`: is the speaker's output device there, and did the last play work. */
export type AudioOutputReport = NonNullable<TelemetryMessage['audioOutput']>

/** Where the kernel lists ALSA sound cards. */
export const ASOUND_CARDS = '/proc/asound/cards'

/** Dependencies of createAudioOutputMonitor. */
export interface AudioOutputDeps {
  /** The sink spec in use (`alsa:<device>`, `null`, `wav:<dir>`), read at each report. */
  sinkSpec(): string
  /**
   * Text of /proc/asound/cards, or null when the file does not exist (no ALSA in the kernel).
   * Default: reads ASOUND_CARDS. Other read errors reject.
   */
  readCards?: () => Promise<string | null>
  /** Default `process.platform`; /proc/asound exists only on Linux. */
  platform?: string
}

/** Records the outcome of every play and reports the output's health. */
export interface AudioOutputMonitor {
  /** Wraps a sink so that each play's outcome is recorded (aborted plays are not outcomes). */
  wrap(sink: Pick<Sink, 'play' | 'prepare'>): Pick<Sink, 'play' | 'prepare'>
  /** The `audioOutput` telemetry field now. */
  report(): Promise<AudioOutputReport>
}

/** The last failure of the output itself, and whether it says the device could not be opened. */
interface SinkFailure {
  message: string
  missing: boolean
}

/**
 * Creates the monitor. For an `alsa:<device>` sink the state is `missing` when no sound card is
 * listed or the last output failure says the device could not be opened, `error` for any other
 * output failure, else `ok` (`unknown` when the card list cannot be read). A successful play
 * clears an output failure. `null` and `wav:` sinks have no device: always `ok`.
 */
export function createAudioOutputMonitor(deps: AudioOutputDeps): AudioOutputMonitor {
  const readCards = deps.readCards ?? readAsoundCards
  const platform = deps.platform ?? process.platform
  let lastPlay: AudioOutputReport['lastPlay'] = null
  let sinkFailure: SinkFailure | null = null

  function recordFailure(err: unknown): void {
    if ((err as { name?: unknown } | null)?.name === 'AbortError') return
    lastPlay = 'error'
    if (isAudioError(err, 'AUDIO_SINK')) {
      const message = errorMessage(err)
      sinkFailure = { message, missing: /cannot open audio device/i.test(message) }
    }
  }

  async function deviceState(device: string): Promise<Omit<AudioOutputReport, 'lastPlay'>> {
    let cards: string | null
    try {
      cards = await readCards()
    } catch (err) {
      return sinkFailure
        ? failureState(sinkFailure)
        : { state: 'unknown', error: errorMessage(err) }
    }
    if (cards === null && platform !== 'linux') {
      return sinkFailure ? failureState(sinkFailure) : { state: 'unknown' }
    }
    const listed = cards === null ? [] : listedCards(cards)
    if (listed.length === 0) {
      return { state: 'missing', error: `no sound card listed in ${ASOUND_CARDS}` }
    }
    const card = cardOf(device)
    if (card !== null && !listed.some((c) => c.index === card || c.id === card)) {
      return { state: 'missing', error: `card ${card} of ${device} not listed in ${ASOUND_CARDS}` }
    }
    return sinkFailure ? failureState(sinkFailure) : { state: 'ok' }
  }

  function recordOk(): void {
    lastPlay = 'ok'
    sinkFailure = null
  }

  return {
    wrap(sink) {
      return {
        async play(file, opts) {
          try {
            const result = await sink.play(file, opts)
            recordOk()
            return result
          } catch (err) {
            if (!opts.signal?.aborted) recordFailure(err)
            throw err
          }
        },
        async prepare(file, opts) {
          let prepared: Prepared
          try {
            prepared = await sink.prepare(file, opts)
          } catch (err) {
            if (!opts.signal?.aborted) recordFailure(err)
            throw err
          }
          return {
            durationMs: prepared.durationMs,
            abort: (reason) => prepared.abort(reason),
            start(at) {
              const started = prepared.start(at)
              started.done.then(recordOk, recordFailure)
              return started
            },
          }
        },
      }
    },
    async report() {
      const spec = deps.sinkSpec()
      if (!spec.startsWith('alsa:')) return { state: 'ok', lastPlay }
      return { ...(await deviceState(spec.slice('alsa:'.length))), lastPlay }
    },
  }
}

function failureState(f: SinkFailure): Omit<AudioOutputReport, 'lastPlay'> {
  return { state: f.missing ? 'missing' : 'error', error: f.message }
}

/** The cards /proc/asound/cards lists (` 0 [PCH            ]: HDA-Intel - …`). */
export function listedCards(text: string): Array<{ index: string; id: string }> {
  const out: Array<{ index: string; id: string }> = []
  for (const m of text.matchAll(/^\s*(\d+)\s+\[([^\]\s]+)\s*\]/gm)) {
    out.push({ index: m[1] as string, id: m[2] as string })
  }
  return out
}

/**
 * The card an ALSA device names (`hw:1,0` → `1`, `plughw:CARD=PCH,DEV=0` → `PCH`, `hw:PCH` →
 * `PCH`), or null for a device that names none (`default`, `dmix`).
 */
export function cardOf(device: string): string | null {
  const colon = device.indexOf(':')
  if (colon < 0) return null
  const args = device.slice(colon + 1).split(',')
  const named = args.find((a) => a.startsWith('CARD='))
  const card = named ? named.slice('CARD='.length) : args[0]
  return card && !card.includes('=') ? card.replace(/^"(.*)"$/, '$1') : null
}

/** Reads /proc/asound/cards; null when it does not exist. */
async function readAsoundCards(): Promise<string | null> {
  try {
    return await readFile(ASOUND_CARDS, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}
