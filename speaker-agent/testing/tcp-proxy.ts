import { once } from 'node:events'
import { type AddressInfo, connect, createServer, type Socket } from 'node:net'

/** A TCP forwarder on 127.0.0.1 that can simulate a network that silently stops carrying data. */
export interface TcpProxy {
  /** Port the proxy listens on (127.0.0.1). */
  port: number
  /**
   * Stops forwarding in both directions and stops reading (`pause()`), closing nothing: both
   * ends keep their sockets open and hear nothing, as behind a dead link or a frozen host.
   * Connections made afterwards are accepted and paused too, never forwarded.
   */
  freeze(): void
  /** Connections accepted so far. */
  connections(): number
  /** Destroys every socket and stops listening; idempotent. */
  close(): Promise<void>
}

/** Starts a proxy to `targetHost:targetPort` on 127.0.0.1; the caller closes it. */
export async function openTcpProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  const pairs: Array<[Socket, Socket]> = []
  let frozen = false
  let accepted = 0
  let closing: Promise<void> | undefined

  const track = (s: Socket): void => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    // A frozen link reports nothing; a live one closes its other half (below).
    s.on('error', () => undefined)
  }

  const server = createServer((client) => {
    accepted++
    track(client)
    if (frozen) {
      client.pause()
      return
    }
    const upstream = connect(targetPort, targetHost)
    track(upstream)
    pairs.push([client, upstream])
    client.pipe(upstream)
    upstream.pipe(client)
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('close', () => {
        if (!frozen) b.destroy()
      })
    }
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    port,
    freeze() {
      frozen = true
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        client.pause()
        upstream.pause()
      }
    },
    connections: () => accepted,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
      return closing
    },
  }
}
