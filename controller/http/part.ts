import { existsSync } from 'node:fs'
import type { AppDeps } from '../deps.js'
import type { TlsMaterial } from '../tls.js'
import { buildHttpApp, type HttpApp } from './app.js'

/** Where the HTTP listener bound. */
export interface HttpAddress {
  httpUrl: string
  httpPort: number
}

/**
 * The HTTP API and web UI: built from every module's routes and listening last, once everything
 * it serves has started; closed first.
 */
export function createHttpPart(deps: { app: AppDeps; tls: TlsMaterial | null }) {
  const { config, log } = deps.app
  const { tls } = deps
  let http: HttpApp | null = null
  let address: HttpAddress = { httpUrl: '', httpPort: config.httpPort }
  return {
    name: 'http',
    /** The app while started. */
    app: (): HttpApp | null => http,
    address: (): HttpAddress => address,
    async start(): Promise<void> {
      const webRoot = deps.app.webRoot
      if (!existsSync(webRoot)) log.warn({ webRoot }, 'web UI not built: run npm run build:web')
      http = await buildHttpApp(deps.app, tls ? { cert: tls.cert, key: tls.key } : null)
      await http.listen({ port: config.httpPort, host: config.httpHost })
      const addr = http.server.address()
      const httpPort = typeof addr === 'object' && addr ? addr.port : config.httpPort
      const host = config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost
      const scheme = tls ? 'https' : 'http'
      address = {
        httpUrl: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${httpPort}`,
        httpPort,
      }
    },
    async stop(): Promise<void> {
      await http?.close()
      http = null
    },
  }
}
