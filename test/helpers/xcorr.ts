import { readFileSync } from 'node:fs'

/** A mono recording as floats in −1…1. */
export interface Mono {
  rate: number
  samples: Float32Array
}

/** Reads a PCM s16le WAV (the `wav:` sink's, or one ffmpeg made): channel 0 only. */
export function readWav(file: string): Mono {
  const buf = readFileSync(file)
  if (buf.toString('ascii', 0, 4) !== 'RIFF') throw new Error(`${file} is not a WAV file`)
  let at = 12
  let rate = 0
  let channels = 1
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4)
    const size = buf.readUInt32LE(at + 4)
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(at + 10)
      rate = buf.readUInt32LE(at + 12)
    } else if (id === 'data') {
      // A recording still open (or cut) may say 0 or more than there is: take what is there.
      const end = size === 0 ? buf.length : Math.min(buf.length, at + 8 + size)
      const frames = Math.floor((end - at - 8) / (2 * channels))
      const samples = new Float32Array(frames)
      for (let i = 0; i < frames; i++)
        samples[i] = buf.readInt16LE(at + 8 + i * 2 * channels) / 0x8000
      return { rate, samples }
    }
    at += 8 + size + (size % 2)
  }
  throw new Error(`${file} has no data chunk`)
}

/** PCM s16le bytes as floats. */
export function fromS16(bytes: Buffer): Float32Array {
  const out = new Float32Array(Math.floor(bytes.length / 2))
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2) / 0x8000
  return out
}

/** Averages each `factor` samples into one (a crude low-pass and decimation). */
export function decimate(x: Float32Array, factor: number): Float32Array {
  const out = new Float32Array(Math.floor(x.length / factor))
  for (let i = 0; i < out.length; i++) {
    let sum = 0
    for (let j = 0; j < factor; j++) sum += x[i * factor + j] ?? 0
    out[i] = sum / factor
  }
  return out
}

function score(y: Float32Array, ref: Float32Array, lag: number, refEnergy: number): number {
  let dot = 0
  let energy = 0
  for (let i = 0; i < ref.length; i++) {
    const v = y[lag + i] ?? 0
    dot += v * (ref[i] ?? 0)
    energy += v * v
  }
  return energy > 0 ? dot / Math.sqrt(energy * refEnergy) : 0
}

/**
 * Where `ref` occurs in `y` (both at `rate`): the lag in samples with the highest normalised
 * cross-correlation, and that correlation (1: the same waveform, up to gain). Searched on a
 * 6× decimated copy, then refined at full rate around the best coarse lag.
 */
export function findSignal(y: Float32Array, ref: Float32Array): { lag: number; score: number } {
  const f = 6
  const yc = decimate(y, f)
  const rc = decimate(ref, f)
  const rcEnergy = rc.reduce((s, v) => s + v * v, 0)
  let best = { lag: 0, score: -1 }
  for (let lag = 0; lag + rc.length <= yc.length; lag++) {
    const s = score(yc, rc, lag, rcEnergy)
    if (s > best.score) best = { lag, score: s }
  }
  const refEnergy = ref.reduce((s, v) => s + v * v, 0)
  let fine = { lag: best.lag * f, score: -1 }
  for (let lag = Math.max(0, (best.lag - 1) * f); lag <= (best.lag + 1) * f; lag++) {
    if (lag + ref.length > y.length) break
    const s = score(y, ref, lag, refEnergy)
    if (s > fine.score) fine = { lag, score: s }
  }
  return fine
}
