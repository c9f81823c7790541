// The Talk page's AudioWorklet: hands each block of microphone samples (channel 0, Float32, the
// context's rate) to the page, which frames them for the talk socket (talk.ts). Runs in the
// audio rendering thread; loaded by talk-capture.ts as a separate file (script-src 'self').

declare class AudioWorkletProcessor {
  readonly port: MessagePort
}
declare function registerProcessor(name: string, ctor: typeof AudioWorkletProcessor): void

class TalkCaptureProcessor extends AudioWorkletProcessor {
  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0]
    if (channel && channel.length > 0) this.port.postMessage(channel.slice(0))
    return true
  }
}

registerProcessor('talk-capture', TalkCaptureProcessor)
