import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { createLifecycle, type Part } from './lifecycle.js'

const log = pino({ level: 'silent' })

function recorder() {
  const calls: string[] = []
  const part = (name: string, opts: { failStart?: boolean; failStop?: boolean } = {}): Part => ({
    name,
    start() {
      calls.push(`start ${name}`)
      if (opts.failStart) throw new Error(`${name} cannot start`)
    },
    async stop() {
      calls.push(`stop ${name}`)
      if (opts.failStop) throw new Error(`${name} cannot stop`)
    },
  })
  return { calls, part }
}

describe('lifecycle', () => {
  it('stops parts in exactly the reverse of their start order', async () => {
    const { calls, part } = recorder()
    const life = createLifecycle(log)
    for (const name of ['a', 'b', 'c']) await life.start(part(name))
    expect(life.started()).toEqual(['a', 'b', 'c'])
    await life.stopAll()
    expect(calls).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a'])
    expect(life.started()).toEqual([])
  })

  it('counts a part whose start threw as started, so stopAll stops it and those before', async () => {
    const { calls, part } = recorder()
    const life = createLifecycle(log)
    await life.start(part('a'))
    await expect(life.start(part('b', { failStart: true }))).rejects.toThrow('b cannot start')
    await life.stopAll()
    expect(calls).toEqual(['start a', 'start b', 'stop b', 'stop a'])
  })

  it('keeps stopping the others when one stop throws, then reports the first error', async () => {
    const { calls, part } = recorder()
    const life = createLifecycle(log)
    await life.start(part('a'))
    await life.start(part('b', { failStop: true }))
    await life.start(part('c', { failStop: true }))
    await expect(life.stopAll()).rejects.toThrow('c cannot stop')
    expect(calls.filter((c) => c.startsWith('stop'))).toEqual(['stop c', 'stop b', 'stop a'])
    expect(life.started()).toEqual([])
  })
})
