import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import { onTestFinished } from 'vitest'

/**
 * A TCP proxy in front of the controller, so a test can cut the browser's connections (the
 * live stream included) and let it reconnect, as a flaky network would. Closed after the test.
 */
export async function startProxy(target: string) {
  const { hostname, port } = new URL(target)
  const sockets = new Set<Socket>()
  let open = true
  const server = createServer((client) => {
    if (!open) {
      client.destroy()
      return
    }
    const upstream = connect(Number(port), hostname)
    const drop = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', drop).on('close', drop)
    }
    client.pipe(upstream).pipe(client)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('proxy has no port')
  onTestFinished(async () => {
    for (const s of sockets) s.destroy()
    server.close()
    await once(server, 'close')
  })
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Drops every connection and refuses new ones until `restore()`. */
    cut(): void {
      open = false
      for (const s of sockets) s.destroy()
    },
    restore(): void {
      open = true
    },
  }
}
