import { type ChildProcess, spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onTestFinished } from 'vitest'
import { ffmpegPath } from './audio.js'

/** A tiny Icecast-like live stream on 127.0.0.1, stopped when the test finishes. */
export interface StreamServer {
  url: string
  /** How many listeners connected so far. */
  listeners(): number
  close(): Promise<void>
}

/**
 * Serves a live MP3 stream of a sine tone at `hz` at real-time pace (ffmpeg `-re`), one ffmpeg
 * per listener, as an Icecast mount does; the response never ends by itself.
 */
export async function startToneStream(hz = 1000): Promise<StreamServer> {
  const children = new Set<ChildProcess>()
  let count = 0
  const server: Server = createServer((req, res) => {
    count++
    const ff = spawn(
      ffmpegPath,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=${hz}:sample_rate=48000`,
        '-ac',
        '1',
        '-c:a',
        'libmp3lame',
        '-b:a',
        '64k',
        '-f',
        'mp3',
        'pipe:1',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
    children.add(ff)
    ff.on('exit', () => children.delete(ff))
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'cache-control': 'no-cache' })
    ff.stdout?.pipe(res)
    req.on('close', () => ff.kill('SIGKILL'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const close = async () => {
    for (const c of children) c.kill('SIGKILL')
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  onTestFinished(close)
  return { url: `http://127.0.0.1:${port}/county.mp3`, listeners: () => count, close }
}
