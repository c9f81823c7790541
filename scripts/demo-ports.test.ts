import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { choosePort, parsePort, portFree } from './demo-ports.js'

// The demo's ports against real listeners on 127.0.0.1: a taken port is said and replaced by the
// next free one, unless its flag chose it.

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

/** A real listener on a free port; its port. */
async function hold(port = 0): Promise<number> {
  const s = createServer()
  servers.push(s)
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject)
    s.listen({ host: '127.0.0.1', port }, () => resolve())
  })
  return (s.address() as { port: number }).port
}

const wish = (port: number, explicit = false) => ({
  name: 'HTTP',
  flag: '--http-port',
  host: '127.0.0.1',
  port,
  explicit,
})

describe('demo ports', () => {
  it('keeps a free port, says a taken one and moves to the next free one', async () => {
    const taken = await hold()
    expect(await portFree('127.0.0.1', taken)).toBe(false)
    const free = await choosePort(wish(taken))
    expect(free).toMatchObject({ port: expect.any(Number) })
    if (!('port' in free)) throw new Error('no port')
    expect(free.port).not.toBe(taken)
    expect(await portFree('127.0.0.1', free.port)).toBe(true)
    expect(free.note).toContain(`HTTP port ${taken} on 127.0.0.1 is in use`)
    expect(free.note).toContain(`using ${free.port} instead (--http-port chooses)`)
    const again = await choosePort(wish(free.port))
    expect(again).toEqual({ port: free.port })
  })

  it('refuses a taken port chosen by its flag, in words', async () => {
    const taken = await hold()
    expect(await choosePort(wish(taken, true))).toEqual({
      error: `HTTP port ${taken} on 127.0.0.1 is in use (npm start, another demo or another program): stop it, or choose a free port with --http-port`,
    })
  })

  it('lets the system pick when the ports after a taken one are all taken', async () => {
    const never = async () => false
    const choice = await choosePort(wish(8080), never)
    expect(choice).toMatchObject({ port: 0, note: expect.stringContaining('the 20 after it too') })
    expect(await choosePort(wish(0), never)).toEqual({ port: 0 })
  })

  it('reads a port flag or says what is wrong', () => {
    expect(parsePort('--http-port', '8081')).toBe(8081)
    expect(parsePort('--http-port', '0')).toBe(0)
    for (const bad of ['', 'http', '-1', '65536', '80.5']) {
      expect(parsePort('--http-port', bad)).toEqual({
        error: expect.stringContaining('--http-port must be a port number from 0 to 65535'),
      })
    }
  })
})
