import { describe, expect, it } from 'vitest'
import { createPlanSends } from './plan-sends.js'

/** A send port whose sends finish only when the test says so. */
function gatedSend() {
  const started: string[] = []
  const pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>()
  return {
    started,
    running: () => pending.size,
    send: (nodeId: string) =>
      new Promise<void>((resolve, reject) => {
        started.push(nodeId)
        pending.set(nodeId, { resolve, reject })
      }),
    finish(nodeId: string, err?: Error) {
      const p = pending.get(nodeId)
      pending.delete(nodeId)
      if (err) p?.reject(err)
      else p?.resolve()
    },
  }
}

const settle = () => new Promise((r) => setImmediate(r))

describe('the plan send queue', () => {
  it('runs at most `limit` sends at once and serves the rest in the order they asked', async () => {
    const port = gatedSend()
    const sends = createPlanSends({ send: port.send, limit: 3 })
    const ids = Array.from({ length: 10 }, (_, i) => `n${i}`)
    const done = ids.map((id) => sends.request(id))
    await settle()
    expect(port.started).toEqual(['n0', 'n1', 'n2'])
    expect(sends.stats()).toEqual({ waiting: 7, running: 3 })
    for (let i = 0; i < ids.length; i++) {
      port.finish(`n${i}`)
      await settle()
      expect(port.running()).toBeLessThanOrEqual(3)
    }
    await Promise.all(done)
    expect(port.started).toEqual(ids)
    expect(sends.stats()).toEqual({ waiting: 0, running: 0 })
  })

  it('sends a node asked for twice while waiting once; asked again while sending, again after', async () => {
    const port = gatedSend()
    const sends = createPlanSends({ send: port.send, limit: 1 })
    const first = sends.request('busy')
    const a = sends.request('n1')
    const b = sends.request('n1')
    await settle()
    expect(port.started).toEqual(['busy'])
    const again = sends.request('busy')
    port.finish('busy')
    await first
    await settle()
    port.finish('n1')
    await Promise.all([a, b])
    await settle()
    port.finish('busy')
    await again
    expect(port.started).toEqual(['busy', 'n1', 'busy'])
  })

  it('a failed send rejects its own request only; the queue goes on', async () => {
    const port = gatedSend()
    const sends = createPlanSends({ send: port.send, limit: 1 })
    const bad = sends.request('bad')
    const good = sends.request('good')
    await settle()
    port.finish('bad', new Error('broker closed'))
    await expect(bad).rejects.toThrow('broker closed')
    await settle()
    port.finish('good')
    await expect(good).resolves.toBeUndefined()
  })
})
