/**
 * The fleet simulator's disk writes: `count` small files (an outbox event each, about 600 bytes)
 * written by one process the way a real node writes them (atomic, fsynced: durableWriteFile,
 * all at once through the thread pool) and through the simulator's shared writer.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createSharedWriter,
  durableWriteFile,
  type WriteFile,
} from '../../speaker-agent/file-writer.js'
import type { Figure } from './figures.js'

async function rate(write: WriteFile, dir: string, count: number): Promise<number> {
  const body = JSON.stringify({ id: 'x'.repeat(36), type: 'play.finished', pad: 'y'.repeat(500) })
  for (let n = 0; n < 100; n++) mkdirSync(join(dir, `node-${n}`), { recursive: true })
  const t = performance.now()
  await Promise.all(
    Array.from({ length: count }, (_, i) => write(join(dir, `node-${i % 100}`, `${i}.json`), body)),
  )
  return count / ((performance.now() - t) / 1000)
}

export async function simulatorWrites(count = 5000): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-writes-'))
  try {
    const durable = await rate(durableWriteFile, join(dir, 'durable'), count)
    const shared = await rate(createSharedWriter().write, join(dir, 'shared'), count)
    const f = (name: string, value: number): Figure => ({
      name,
      nodes: 100,
      value,
      unit: 'writes/s',
      broker: 'none',
    })
    return [
      f('simulator writes: durable (fsync each, as a real node)', durable),
      f('simulator writes: shared writer (no fsync, coalescing)', shared),
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await simulatorWrites()) console.log(JSON.stringify(f))
}
