import { onTestFinished } from 'vitest'
import { openTcpProxy, type TcpProxy } from '../../speaker-agent/testing/tcp-proxy.js'

export { openTcpProxy, type TcpProxy } from '../../speaker-agent/testing/tcp-proxy.js'

/**
 * Starts a TCP proxy on 127.0.0.1 to `127.0.0.1:targetPort` whose `freeze()` makes the link
 * carry nothing without closing anything; closed when the current test finishes.
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const proxy = await openTcpProxy(targetPort)
  onTestFinished(() => proxy.close())
  return proxy
}
