/**
 * The brokers' own floor: `nodes` plain MQTT clients (no Chorus: no authentication, no ACL, no
 * controller) connected to a bare aedes and to Debian's Mosquitto, each in its own process with
 * the same raised file-descriptor limit as the measured controller.
 */
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Figure } from './figures.js'
import { type BrokerProcess, spawnWithNofile, startMosquitto } from './harness.js'
import { connectRaw } from './lite-fleet.js'

async function startRawAedes(): Promise<BrokerProcess> {
  const child = spawnWithNofile([
    process.execPath,
    '--import',
    'tsx',
    join(import.meta.dirname, 'raw-aedes.ts'),
  ])
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', () => reject(new Error(`raw aedes exited: ${out}`)))
  })
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** Connect-all time of `nodes` raw clients on each raw broker. */
export async function floorFigures(nodes: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-floor-'))
  const out: Figure[] = []
  try {
    for (const kind of ['raw-aedes', 'raw-mosquitto'] as const) {
      const broker = kind === 'raw-aedes' ? await startRawAedes() : await startMosquitto(dir, false)
      try {
        const t = performance.now()
        const clients = await connectRaw(broker.url, nodes)
        const value = (performance.now() - t) / 1000
        out.push({
          name: 'connect-all: the raw broker alone (floor)',
          nodes,
          value,
          unit: 's',
          broker: kind,
        })
        console.error(`  ${kind} ${nodes}: raw connect-all = ${value.toFixed(3)} s`)
        await Promise.all(clients.map((c) => c.endAsync(true)))
      } finally {
        await broker.stop()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return out
}
