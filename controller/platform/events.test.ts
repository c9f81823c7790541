import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createEventBus } from './events.js'

function capturedLog() {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>)
      done()
    },
  })
  return { log: pino({ level: 'info' }, stream), lines }
}

describe('event bus', () => {
  it('isolates a throwing listener: logged, counted, the next listener still runs', async () => {
    const { log, lines } = capturedLog()
    const bus = createEventBus({ log })
    const seen: string[] = []
    const brokenListener = () => {
      throw new Error('disk on fire')
    }
    bus.on('nodeChanged', brokenListener)
    bus.on('nodeChanged', ({ nodeId }) => seen.push(nodeId))
    expect(() => bus.emit('nodeChanged', { nodeId: 'n1' })).not.toThrow()
    bus.emit('nodeChanged', { nodeId: 'n2' })
    expect(seen).toEqual(['n1', 'n2'])
    expect(bus.listenerErrors()).toEqual([
      { event: 'nodeChanged', listener: 'brokenListener', count: 2 },
    ])
    await new Promise((r) => setImmediate(r))
    const logged = lines.filter((l) => l.msg === 'bus listener failed')
    expect(logged).toHaveLength(2)
    expect(logged[0]).toMatchObject({ event: 'nodeChanged', listener: 'brokenListener' })
  })

  it('counts a listener whose promise rejects, and once-listeners still run once', async () => {
    const bus = createEventBus()
    const asyncListener = async () => {
      throw new Error('later')
    }
    let once = 0
    bus.on('alertChanged', asyncListener)
    bus.once('alertChanged', function countOnce() {
      once++
    })
    bus.emit('alertChanged', { alertId: 'a' })
    bus.emit('alertChanged', { alertId: 'b' })
    await new Promise((r) => setImmediate(r))
    expect(once).toBe(1)
    expect(bus.listenerErrors()).toEqual([
      { event: 'alertChanged', listener: 'asyncListener', count: 2 },
    ])
  })

  it('reports whether anyone listened, as EventEmitter does', () => {
    const bus = createEventBus()
    expect(bus.emit('nodeChanged', { nodeId: 'n1' })).toBe(false)
    bus.on('nodeChanged', () => {})
    expect(bus.emit('nodeChanged', { nodeId: 'n1' })).toBe(true)
  })
})
