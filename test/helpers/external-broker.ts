import { once } from 'node:events'
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net'
import { onTestFinished } from 'vitest'

/** A plain aedes broker in this process, standing in for an external one (Mosquitto, EMQX). */
export interface ExternalBroker {
  /** The port it listens on; the same after a restart. */
  port: number
  url: string
  /** True between listen and close. */
  running(): boolean
  /**
   * Stops the broker like a crash or restart of the broker process: every client connection is
   * dropped and the broker's in-memory state (sessions, subscriptions) is lost.
   */
  close(): Promise<void>
  /** Starts a fresh broker on the same port (after close). */
  start(): Promise<void>
}

/**
 * Starts an aedes 1.x broker on 127.0.0.1 (`port`, or a free one) that lets anyone in, as the
 * controller's `--broker-url` mode expects of an external broker. The caller closes it.
 */
export async function openExternalBroker(port = 0): Promise<ExternalBroker> {
  let current: { server: Server; close(): Promise<void> } | null = null
  let bound = port

  async function start(): Promise<void> {
    if (current) throw new Error('the broker is running')
    const { Aedes } = await import('aedes')
    const broker = await Aedes.createBroker({
      authenticate: (_client, _user, _pass, done) => done(null, true),
    })
    const sockets = new Set<Socket>()
    const server = createServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      broker.handle(socket)
    })
    server.listen(bound, '127.0.0.1')
    await once(server, 'listening')
    bound = (server.address() as AddressInfo).port
    current = {
      server,
      async close() {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        for (const s of sockets) s.destroy()
        await new Promise<void>((resolve) => broker.close(() => resolve()))
        await closed
      },
    }
  }

  await start()
  return {
    get port() {
      return bound
    },
    get url() {
      return `mqtt://127.0.0.1:${bound}`
    },
    running: () => current !== null,
    async close() {
      const c = current
      current = null
      await c?.close()
    },
    start,
  }
}

/** {@link openExternalBroker}, closed when the current test finishes. */
export async function startExternalBroker(port = 0): Promise<ExternalBroker> {
  const broker = await openExternalBroker(port)
  onTestFinished(() => broker.close())
  return broker
}
