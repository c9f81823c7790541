import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createPayloadDecoder, type PlanMessage } from '../protocol/index.js'
import { createManualClock } from '../testing/manual-clock.js'
import { createPlanStore } from './plan-store.js'
import { makeTempDir, silentLogger } from './testing/tmp-dir.js'

const PLAN: PlanMessage = {
  v: 1,
  nodeId: 'n1',
  version: 'v7',
  generatedAt: '2026-11-27T00:00:00.000Z',
  tz: 'Asia/Shanghai',
  dates: ['2026-11-27'],
  items: [],
}

async function setup() {
  const { dir, cleanup } = await makeTempDir()
  onTestFinished(cleanup)
  const clock = createManualClock()
  const store = createPlanStore({
    dataDir: dir,
    decoder: createPayloadDecoder(),
    clock,
    log: silentLogger(),
  })
  return { dir, clock, store }
}

describe('plan store', () => {
  it('returns null when no plan has been stored', async () => {
    const { store } = await setup()
    expect(await store.load()).toBeNull()
  })

  it('writes the plan atomically and reads it back', async () => {
    const { dir, store } = await setup()
    await store.save(PLAN)
    await store.save({ ...PLAN, version: 'v8' })
    expect(await store.load()).toEqual({ ...PLAN, version: 'v8' })
    expect(await readdir(dir)).toEqual(['plan.json'])
  })

  it('moves a corrupt plan aside and treats it as none instead of crashing', async () => {
    const { dir, clock, store } = await setup()
    await writeFile(join(dir, 'plan.json'), '{"v":1,"nodeId":"n1","vers')
    expect(await store.load()).toBeNull()
    const names = await readdir(dir)
    expect(names).toEqual([`plan.json.corrupt-${clock.now()}`])
    expect(await readFile(join(dir, names[0]!), 'utf8')).toContain('"vers')
    expect(await store.load()).toBeNull()
  })

  it('treats a well-formed JSON file that is not a plan as corrupt', async () => {
    const { dir, store } = await setup()
    await writeFile(join(dir, 'plan.json'), JSON.stringify({ ...PLAN, v: 2 }))
    expect(await store.load()).toBeNull()
    expect((await readdir(dir))[0]).toMatch(/^plan\.json\.corrupt-\d+$/)
  })
})
