import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import type { Audio } from './library'
import { createUploadQueue, type UploadEntry, type UploadSender } from './upload-queue'

// Several files at once: each has its own progress and outcome, a few go at a time, a refused
// file does not stop the others, and a cancelled one ends as cancelled.

type F = { name: string; size: number }
const audio = (title: string, duplicate = false): Audio => ({
  id: `a-${title}`,
  sha256: '0'.repeat(64),
  title,
  originalName: `${title}.wav`,
  durationMs: 2000,
  sizeBytes: 1000,
  sourceCodec: 'pcm_s16le',
  loudnessBefore: -20,
  loudnessAfter: -16,
  silent: false,
  createdAt: '2026-12-06T00:00:00Z',
  columnId: null,
  uploadedBy: 'admin',
  updatedAt: null,
  duplicate,
})

/** A sender the test drives by hand: each call waits until the test settles it. */
function manualSender() {
  const calls: {
    file: F
    progress: (sent: number, total: number) => void
    signal: AbortSignal
    resolve: (a: Audio) => void
    reject: (e: unknown) => void
  }[] = []
  const send: UploadSender<F> = (file, progress, signal) =>
    new Promise<Audio>((resolve, reject) => {
      calls.push({ file, progress, signal, resolve, reject })
      signal.addEventListener('abort', () => reject(new DOMException('x', 'AbortError')))
    })
  return { send, calls }
}
const settle = () => new Promise((r) => setTimeout(r, 0))
const states = (list: UploadEntry[]) => list.map((e) => `${e.name}:${e.state}:${e.percent}`)

describe('upload queue', () => {
  it('sends two at a time, each with its own progress, and carries on past a refused file', async () => {
    const { send, calls } = manualSender()
    let last: UploadEntry[] = []
    const stored: string[] = []
    const q = createUploadQueue<F>({
      send,
      parallel: 2,
      onChange: (l) => {
        last = l
      },
      onStored: (a) => stored.push(a.title),
    })
    q.add([
      { name: 'a.wav', size: 10 },
      { name: 'bad.mp3', size: 10 },
      { name: 'c.wav', size: 10 },
    ])
    expect(states(last)).toEqual(['a.wav:uploading:0', 'bad.mp3:uploading:0', 'c.wav:queued:0'])
    expect(q.busy()).toBe(true)
    calls[0]?.progress(5, 10)
    expect(states(last)[0]).toBe('a.wav:uploading:50')
    calls[0]?.progress(10, 10)
    expect(states(last)[0]).toBe('a.wav:processing:100')
    // Sent again (a fresh token): uploading again, then processing.
    calls[0]?.progress(2, 10)
    expect(states(last)[0]).toBe('a.wav:uploading:20')
    calls[0]?.progress(10, 10)
    expect(states(last)[0]).toBe('a.wav:processing:100')
    // The refused file ends with the server's reason; the queued one takes its place.
    const refusal = new ApiError(422, 'not audio', 'AUDIO_INVALID', { code: 'AUDIO_NOT_AUDIO' })
    calls[1]?.reject(refusal)
    await settle()
    expect(states(last)).toEqual(['a.wav:processing:100', 'bad.mp3:failed:0', 'c.wav:uploading:0'])
    expect(last[1]?.error).toBe(refusal)
    calls[0]?.resolve(audio('a'))
    calls[2]?.resolve(audio('c', true))
    await settle()
    expect(states(last)).toEqual(['a.wav:done:100', 'bad.mp3:failed:0', 'c.wav:duplicate:100'])
    expect(last[0]?.result?.title).toBe('a')
    expect(stored).toEqual(['a', 'c'])
    expect(q.busy()).toBe(false)
    q.clearFinished()
    expect(last).toEqual([])
  })

  it('cancels a queued file before it starts and a running one by aborting it', async () => {
    const { send, calls } = manualSender()
    let last: UploadEntry[] = []
    const q = createUploadQueue<F>({ send, parallel: 1, onChange: (l) => (last = l) })
    q.add([
      { name: 'a.wav', size: 10 },
      { name: 'b.wav', size: 10 },
      { name: 'c.wav', size: 10 },
    ])
    q.cancel(last[1]?.key as number)
    q.cancel(last[0]?.key as number)
    expect(calls[0]?.signal.aborted).toBe(true)
    await settle()
    expect(states(last)).toEqual(['a.wav:cancelled:0', 'b.wav:cancelled:0', 'c.wav:uploading:0'])
    expect(calls.map((c) => c.file.name)).toEqual(['a.wav', 'c.wav'])
    q.stop()
    await settle()
    expect(last[2]?.state).toBe('cancelled')
    expect(last.every((e) => e.error === null)).toBe(true)
  })
})
