import { once } from 'node:events'
import { type AddressInfo, createServer, type Server } from 'node:net'
import type { TestController } from './controller.js'
import { waitFor } from './mqtt.js'

/** Presence fields of a node as `GET /api/nodes` returns it. */
export interface NodePresence {
  id: string
  online: boolean
  state: 'online' | 'offline' | 'degraded' | 'flapping'
  stateSince: string | null
  degradedReasons: Array<{
    code: string
    message: string
    params?: Record<string, string | number>
  }>
}

/** One presence transition as `GET /api/nodes/:id/transitions` returns it (oldest first). */
export interface Transition {
  from: string
  to: string
  at: string
  reason: string
}

/** Every node's presence, keyed by id. */
export async function nodesById(ctl: TestController): Promise<Map<string, NodePresence>> {
  const r = await ctl.api<NodePresence[]>('GET', '/api/nodes')
  if (r.status !== 200) throw new Error(`GET /api/nodes answered ${r.status}`)
  return new Map(r.body.map((n) => [n.id, n]))
}

/** A node's presence transitions, oldest first. */
export async function transitionsOf(ctl: TestController, nodeId: string): Promise<Transition[]> {
  const r = await ctl.api<Transition[]>('GET', `/api/nodes/${nodeId}/transitions`)
  if (r.status !== 200) throw new Error(`GET /api/nodes/${nodeId}/transitions: ${r.status}`)
  return r.body
}

/** Waits until the controller shows every node in `ids` with `online === want`. */
export async function waitForPresence(
  ctl: TestController,
  ids: readonly string[],
  want: boolean,
  timeoutMs = 10_000,
): Promise<Map<string, NodePresence>> {
  return waitFor(
    async () => {
      const nodes = await nodesById(ctl)
      return ids.every((id) => nodes.get(id)?.online === want) ? nodes : null
    },
    `${ids.join(', ')} ${want ? 'online' : 'offline'}`,
    timeoutMs,
    20,
  )
}

/** `count` distinct ports that were free a moment ago on 127.0.0.1 (all held, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
    }
    return servers.map((s) => (s.address() as AddressInfo).port)
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  }
}
