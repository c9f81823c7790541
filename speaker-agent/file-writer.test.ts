import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createSharedWriter, durableWriteFile } from './file-writer.js'
import { makeTempDir } from './testing/tmp-dir.js'

describe('file writers', () => {
  it('a real node writes durably: the whole file, no temporary left behind', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    await durableWriteFile(join(dir, 'plan.json'), '{"v":1}')
    expect(await readFile(join(dir, 'plan.json'), 'utf8')).toBe('{"v":1}')
    expect(await readdir(dir)).toEqual(['plan.json'])
  })

  it("the simulator's shared writer lands every file of many agents, atomically", async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const writer = createSharedWriter({ concurrency: 2 })
    const names = Array.from({ length: 50 }, (_, i) => `node-${i}.json`)
    await Promise.all(names.map((n) => writer.write(join(dir, n), `{"n":"${n}"}`)))
    expect((await readdir(dir)).sort()).toEqual([...names].sort())
    for (const n of names) expect(await readFile(join(dir, n), 'utf8')).toBe(`{"n":"${n}"}`)
    expect(writer.pending()).toBe(0)
  })

  it('replaces a queued write by a newer one to the same file; the last asked is what stays', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const writer = createSharedWriter({ concurrency: 1 })
    const path = join(dir, 'state.json')
    // The first starts at once; the next nine queue behind it and collapse into one write.
    const all = Array.from({ length: 10 }, (_, i) => writer.write(path, `{"volume":${i}}`))
    await Promise.all(all)
    expect(await readFile(path, 'utf8')).toBe('{"volume":9}')
    expect(writer.stats()).toEqual({ asked: 10, coalesced: 8 })
    expect(await readdir(dir)).toEqual(['state.json'])
  })

  it('a failed write rejects every caller waiting on it and the writer goes on', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const writer = createSharedWriter()
    const missing = join(dir, 'no-such-dir', 'x.json')
    const results = await Promise.allSettled([
      writer.write(missing, 'a'),
      writer.write(missing, 'b'),
    ])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    await writer.write(join(dir, 'ok.json'), 'ok')
    expect(await readFile(join(dir, 'ok.json'), 'utf8')).toBe('ok')
  })
})
