/**
 * Live relay to a district (issue 13): one controller (a child process, as in production) relays
 * a local HTTP live stream (an Icecast-like MP3 tone served by this script, ffmpeg `-re`) to 435
 * simulated nodes, each fetching the session's stream over HTTP with its node credentials, as an
 * agent does. Measured: the controller's CPU (utime + stime from /proc, as a share of one core)
 * over a steady window, its RSS, and what each node received (bytes per second).
 *
 *   node --import tsx scripts/bench/relay.ts [--nodes 435] [--seconds 30]
 *
 * One JSON line per figure ({name, nodes, value, unit}).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { resolveFfmpegPath } from '../../audio/index.js'
import { type Figure, freePort, rss, seed, startChild } from '../bench-scale.js'

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12]) // utime, stime
  return ticks / 100 // USER_HZ is 100 on Linux
}

/** An Icecast-like MP3 stream of a 1 kHz tone at real-time pace, one ffmpeg per listener. */
async function toneStream(ffmpeg: string) {
  const children = new Set<ChildProcess>()
  const server = createServer((req, res) => {
    const ff = spawn(
      ffmpeg,
      [
        ...['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi'],
        ...['-i', 'sine=frequency=1000:sample_rate=48000', '-ac', '1'],
        ...['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3', 'pipe:1'],
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
    children.add(ff)
    ff.on('exit', () => children.delete(ff))
    res.writeHead(200, { 'content-type': 'audio/mpeg' })
    ff.stdout?.pipe(res)
    req.on('close', () => ff.kill('SIGKILL'))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/county.mp3`,
    close() {
      for (const c of children) c.kill('SIGKILL')
      server.closeAllConnections()
      server.close()
    },
  }
}

/** Relay figures for `n` nodes over a `seconds` window. */
export async function measureRelay(n: number, seconds: number): Promise<Figure[]> {
  const figures: Figure[] = []
  const add = (name: string, value: number, unit: string) => {
    const f = { name, nodes: n, value: Math.round(value * 10) / 10, unit }
    figures.push(f)
    console.log(JSON.stringify(f))
  }
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-relay-'))
  const stream = await toneStream(resolveFfmpegPath())
  let ctl: Awaited<ReturnType<typeof startChild>> | null = null
  const aborts: AbortController[] = []
  try {
    const creds = await seed(dir, n)
    ctl = await startChild(dir, await freePort(), await freePort(), n)
    const auth = { authorization: `Bearer ${ctl.token}` }
    const idleCpu = cpuSeconds(ctl.pid)
    const opened = await fetch(`${ctl.httpUrl}/api/live/relay`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ url: stream.url, zones: [] }),
    })
    const session = (await opened.json()) as { id?: string; message?: string }
    if (!session.id) throw new Error(`relay refused: ${opened.status} ${session.message}`)
    const received = new Array<number>(n).fill(0)
    const url = `${ctl.httpUrl}/api/live/${session.id}/stream`
    const t0 = performance.now()
    await Promise.all(
      creds.map(async (c, i) => {
        const abort = new AbortController()
        aborts.push(abort)
        const basic = Buffer.from(`${c.id}:${c.secret}`).toString('base64')
        const res = await fetch(url, {
          headers: { authorization: `Basic ${basic}` },
          signal: abort.signal,
        })
        if (!res.ok || !res.body) throw new Error(`node ${c.id}: HTTP ${res.status}`)
        const reader = res.body.getReader()
        void (async () => {
          for (;;) {
            const { done, value } = await reader.read()
            if (done) return
            received[i] = (received[i] ?? 0) + value.byteLength
          }
        })().catch(() => undefined)
      }),
    )
    add('relay: every node connected to the stream', (performance.now() - t0) / 1000, 's')
    // Warm up, then the steady window.
    await new Promise((r) => setTimeout(r, 3000))
    const before = received.slice()
    const cpu0 = cpuSeconds(ctl.pid)
    const w0 = performance.now()
    await new Promise((r) => setTimeout(r, seconds * 1000))
    const wall = (performance.now() - w0) / 1000
    const cpu = cpuSeconds(ctl.pid) - cpu0
    const rates = received.map((b, i) => (b - (before[i] ?? 0)) / wall).sort((a, b) => a - b)
    add('relay: controller CPU (share of one core)', (cpu / wall) * 100, '%')
    add('relay: controller CPU before the relay (start-up, total)', idleCpu, 's')
    add('relay: per-node stream, slowest', rates[0] ?? 0, 'B/s')
    add('relay: per-node stream, median', rates[Math.floor(rates.length / 2)] ?? 0, 'B/s')
    add('relay: nodes receiving nothing', rates.filter((r) => r === 0).length, 'nodes')
    add('relay: controller RSS', rss(ctl.pid).rss, 'MB')
  } finally {
    for (const a of aborts) a.abort()
    stream.close()
    await ctl?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return figures
}

if (process.argv[1]?.endsWith('relay.ts')) {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '435' },
      seconds: { type: 'string', default: '30' },
    },
  })
  await measureRelay(Number(values.nodes), Number(values.seconds))
}
