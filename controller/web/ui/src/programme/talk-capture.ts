// The microphone for the Talk page: getUserMedia, then an AudioWorklet (a ScriptProcessor where
// the browser has no AudioWorklet) that hands blocks of samples to `onBlock`. The context asks
// for 48 kHz, so the browser resamples; talk.ts's framer resamples whatever rate it got.
import workletUrl from './talk-worklet.ts?worker&url'

/** A running capture. */
export interface Capture {
  /** The rate of the blocks handed over. */
  rate: number
  stop(): void
}

/** Whether this page may use the microphone at all (a secure context: HTTPS or localhost). */
export function microphoneAvailable(): boolean {
  return window.isSecureContext && Boolean(navigator.mediaDevices?.getUserMedia)
}

/** Opens the microphone; `onBlock` gets each block of samples (mono, Float32). */
export async function startCapture(onBlock: (block: Float32Array) => void): Promise<Capture> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      channelCount: 1,
      // A paging microphone wants the voice as spoken: the speakers are far from it.
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
    },
  })
  let ctx: AudioContext
  try {
    ctx = new AudioContext({ sampleRate: 48_000, latencyHint: 'interactive' })
  } catch {
    ctx = new AudioContext({ latencyHint: 'interactive' })
  }
  await ctx.resume()
  const source = ctx.createMediaStreamSource(stream)
  // A silent sink keeps the graph pulled, so the capture node runs.
  const mute = ctx.createGain()
  mute.gain.value = 0
  mute.connect(ctx.destination)
  let node: AudioNode
  if (ctx.audioWorklet) {
    await ctx.audioWorklet.addModule(workletUrl)
    const worklet = new AudioWorkletNode(ctx, 'talk-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 1,
    })
    worklet.port.onmessage = (e: MessageEvent<Float32Array>) => onBlock(e.data)
    node = worklet
  } else {
    const processor = ctx.createScriptProcessor(2048, 1, 1)
    processor.onaudioprocess = (e) => onBlock(e.inputBuffer.getChannelData(0).slice(0))
    node = processor
  }
  source.connect(node)
  node.connect(mute)
  return {
    rate: ctx.sampleRate,
    stop() {
      source.disconnect()
      node.disconnect()
      for (const track of stream.getTracks()) track.stop()
      void ctx.close()
    },
  }
}
