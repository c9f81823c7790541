import { randomBytes } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import type { Clock } from '../platform/time.js'
import { NODE_ROLE, nodeOwnAcls, nodeOwnRole } from './dynsec-config.js'

/**
 * The broker's own node accounts, kept in step with provisioning. The embedded broker reads
 * credentials from the database on each connect, so its port does nothing; on Mosquitto the
 * dynamic-security port creates, changes and deletes the node's client.
 */
export interface BrokerAccounts {
  /** The node may connect with `secret` from now on (client created, or its password replaced). */
  setNode(nodeId: string, secret: string): void
  /** The node may no longer connect; a live session is dropped. */
  removeNode(nodeId: string): void
  /** Resolves once every change asked for so far has been applied (failures are logged). */
  idle(): Promise<void>
}

/** The embedded broker's port: nothing to do. */
export const embeddedBrokerAccounts: BrokerAccounts = {
  setNode: () => {},
  removeNode: () => {},
  idle: () => Promise.resolve(),
}

const CONTROL = '$CONTROL/dynamic-security/v1'

interface DynsecResponse {
  command: string
  error?: string
  correlationData?: string
  data?: { clients?: { username: string; roles?: { rolename: string }[] }[] }
}

/** What `reconcile` found and did. */
export interface ReconcileResult {
  deleted: string[]
  /** Active nodes without a client: their secret is unknown, so a rotation must recreate them. */
  missing: string[]
}

/**
 * Node accounts through Mosquitto's dynamic-security control API, over a connection of its own
 * as the controller's admin client. Changes are applied one batch at a time, in order.
 */
export function createDynsecAccounts(deps: {
  url: string
  username: string
  password: string
  log: Logger
  clock: Clock
  /** How long one control batch may wait for its response. */
  timeoutMs?: number
}): BrokerAccounts & {
  start(): Promise<void>
  reconcile(nodes: { id: string; retired: boolean }[]): Promise<ReconcileResult>
  stop(): Promise<void>
} {
  const log = deps.log.child({ module: 'dynsec' })
  const timeoutMs = deps.timeoutMs ?? 10_000
  let client: MqttClient | null = null
  const waiting = new Map<string, (r: DynsecResponse[]) => void>()
  let chain: Promise<unknown> = Promise.resolve()

  async function start(): Promise<void> {
    const c = await mqtt.connectAsync(deps.url, {
      username: deps.username,
      password: deps.password,
      clientId: `chorus-dynsec-${randomBytes(4).toString('hex')}`,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    })
    c.on('message', (_topic, payload) => {
      let responses: DynsecResponse[]
      try {
        responses = (JSON.parse(payload.toString()) as { responses: DynsecResponse[] }).responses
      } catch {
        return
      }
      const id = responses[0]?.correlationData
      const done = id ? waiting.get(id) : undefined
      if (id && done) {
        waiting.delete(id)
        done(responses)
      }
    })
    await c.subscribeAsync(`${CONTROL}/response`, { qos: 1 })
    client = c
  }

  /** Sends one batch; resolves with one response per command. */
  async function send(commands: Record<string, unknown>[]): Promise<DynsecResponse[]> {
    const c = client
    if (!c) throw new Error('dynamic-security client not started')
    const id = randomBytes(8).toString('hex')
    const answered = new Promise<DynsecResponse[]>((resolve, reject) => {
      const cancel = deps.clock.after(timeoutMs, () => {
        waiting.delete(id)
        reject(new Error(`no dynamic-security response in ${timeoutMs} ms`))
      })
      waiting.set(id, (r) => {
        cancel()
        resolve(r)
      })
    })
    const body = commands.map((cmd) => ({ ...cmd, correlationData: id }))
    await c.publishAsync(CONTROL, JSON.stringify({ commands: body }), { qos: 1 })
    return answered
  }

  function enqueue(what: string, nodeId: string, work: () => Promise<void>): void {
    chain = chain.then(work).then(
      () => log.info({ nodeId, what }, 'broker account changed'),
      (err: Error) => log.error({ nodeId, what, err: err.message }, 'broker account change failed'),
    )
  }

  function failed(responses: DynsecResponse[], ignore: RegExp): DynsecResponse[] {
    return responses.filter((r) => r.error && !ignore.test(r.error))
  }

  function check(responses: DynsecResponse[], ignore: RegExp): void {
    const bad = failed(responses, ignore)
    if (bad.length > 0) throw new Error(bad.map((r) => `${r.command}: ${r.error}`).join('; '))
  }

  /** Mosquitto saves its whole JSON file after every batch: one batch per change. */
  async function applySecret(nodeId: string, secret: string): Promise<void> {
    const role = nodeOwnRole(nodeId)
    const responses = await send([
      { command: 'createRole', rolename: role },
      ...nodeOwnAcls(nodeId).map((acl) => ({ command: 'addRoleACL', rolename: role, ...acl })),
      {
        command: 'createClient',
        username: nodeId,
        password: secret,
        roles: [{ rolename: NODE_ROLE }, { rolename: role }],
      },
    ])
    const created = responses.at(-1)
    check(responses.slice(0, -1), /already exists/i)
    if (!created?.error) return
    if (!/already exists/i.test(created.error)) throw new Error(`createClient: ${created.error}`)
    // Changing the password does not end a session opened with the old one: disabling does.
    const changed = await send([
      { command: 'setClientPassword', username: nodeId, password: secret },
      { command: 'addClientRole', username: nodeId, rolename: role },
      { command: 'disableClient', username: nodeId },
      { command: 'enableClient', username: nodeId },
    ])
    check(changed, /already|has role/i)
  }

  /** Deletes clients and their own roles (deleting a client ends its live session). */
  async function remove(nodeIds: string[]): Promise<void> {
    for (let i = 0; i < nodeIds.length; i += 100) {
      const commands = nodeIds.slice(i, i + 100).flatMap((nodeId) => [
        { command: 'deleteClient', username: nodeId },
        { command: 'deleteRole', rolename: nodeOwnRole(nodeId) },
      ])
      check(await send(commands), /not found/i)
    }
  }

  async function reconcile(nodes: { id: string; retired: boolean }[]): Promise<ReconcileResult> {
    const [listed] = await send([{ command: 'listClients', verbose: true, count: -1 }])
    if (!listed || listed.error) throw new Error(`listClients: ${listed?.error ?? 'no answer'}`)
    const clients = listed.data?.clients ?? []
    const existing = new Set(clients.map((c) => c.username))
    // Only clients holding the node role are Chorus's to delete: a shared broker has others.
    const nodeClients = clients
      .filter((c) => c.roles?.some((r) => r.rolename === NODE_ROLE))
      .map((c) => c.username)
    const byId = new Map(nodes.map((n) => [n.id, n]))
    const deleted = nodeClients.filter((username) => {
      const node = byId.get(username)
      return !node || node.retired
    })
    await remove(deleted)
    const missing = nodes.filter((n) => !n.retired && !existing.has(n.id)).map((n) => n.id)
    if (deleted.length > 0 || missing.length > 0) {
      log.warn(
        { deleted: deleted.length, missing: missing.length },
        'broker accounts reconciled (missing nodes connect again after a secret rotation)',
      )
    }
    return { deleted, missing }
  }

  return {
    start,
    reconcile,
    setNode: (nodeId, secret) => enqueue('set', nodeId, () => applySecret(nodeId, secret)),
    removeNode: (nodeId) => enqueue('remove', nodeId, () => remove([nodeId])),
    idle: async () => {
      for (;;) {
        const current = chain
        await current
        if (current === chain) return
      }
    },
    stop: async () => {
      await client?.endAsync()
      client = null
    },
  }
}
