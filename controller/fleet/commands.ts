import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { type CommandKind, type CommandMessage, nodeTopic } from '../../protocol/index.js'
import { ChorusError } from '../errors.js'
import type { CommandAcked, EventBus } from '../platform/index.js'
import { type CancelTimer, type Clock, formatInstant } from '../platform/index.js'
import type { Publish } from '../programme/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { CommandRecord } from './repositories/commands-repository.js'

/** Default lifetime of a command; an agent that gets it later answers `expired`. */
export const DEFAULT_COMMAND_TTL_SEC = 60

/** Pending commands are checked for expiry this often. */
export const EXPIRY_SWEEP_MS = 1_000

/** Expired commands wait this long for an acknowledgement still in flight. */
export const EXPIRY_GRACE_MS = 2_000

/**
 * Remote commands: each is stored, published on the node's `cmd` topic with an id and an expiry,
 * and followed until the agent's `cmd.ack` says ok or error, or it expires. A command to a zone
 * is one command per node under one batch id, so the UI shows per-node results.
 */
export function createCommands(deps: {
  repos: Pick<SharedRepositories, 'commands' | 'nodes' | 'zones'>
  bus: EventBus
  clock: Clock
  log: Logger
  tz: string
  publish: Publish
  zoneLineage: (zoneId: string) => string[]
  sign: <T extends CommandMessage>(message: T) => T
}) {
  const log = deps.log.child({ module: 'commands' })
  let stopSweep: CancelTimer | null = null

  function issue(
    nodeIds: string[],
    input: { kind: CommandKind; params?: { volume?: number; seconds?: number }; ttlSec?: number },
    batchId: string | null,
  ): CommandRecord[] {
    if (input.kind === 'setVolume' && typeof input.params?.volume !== 'number') {
      throw new ChorusError('COMMAND_INVALID', 'setVolume needs params.volume (0–100)')
    }
    const now = deps.clock.now()
    const ttl = (input.ttlSec ?? DEFAULT_COMMAND_TTL_SEC) * 1000
    const records: CommandRecord[] = nodeIds.map((nodeId) => ({
      id: `c-${randomBytes(6).toString('hex')}`,
      batchId,
      nodeId,
      kind: input.kind,
      params: input.params ?? null,
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ttl).toISOString(),
      status: 'pending',
      ackedAt: null,
      error: null,
      result: null,
    }))
    deps.repos.commands.insertMany(records)
    for (const c of records) {
      const message: CommandMessage = {
        v: 1,
        id: c.id,
        nodeId: c.nodeId,
        kind: input.kind,
        ...(input.params ? { params: input.params } : {}),
        issuedAt: formatInstant(now, deps.tz),
        expiresAt: formatInstant(now + ttl, deps.tz),
      }
      void deps
        .publish(nodeTopic(c.nodeId, 'cmd'), JSON.stringify(deps.sign(message)), { qos: 1 })
        .catch((err: unknown) =>
          log.error({ err, nodeId: c.nodeId, cmdId: c.id }, 'command not sent'),
        )
      log.info({ nodeId: c.nodeId, cmdId: c.id, kind: c.kind }, 'command sent')
      deps.bus.emit('commandChanged', { commandId: c.id, nodeId: c.nodeId, batchId })
    }
    return records
  }

  function toNode(nodeId: string, input: Parameters<typeof issue>[1]): CommandRecord {
    const node = deps.repos.nodes.get(nodeId)
    if (!node || node.retiredAt) throw new ChorusError('NODE_NOT_FOUND', `no node ${nodeId}`)
    return issue([nodeId], input, null)[0] as CommandRecord
  }

  /** One batch to chosen nodes (a bulk action on a filtered list); retired ones refused. */
  function toNodes(nodeIds: readonly string[], input: Parameters<typeof issue>[1]) {
    for (const id of nodeIds) {
      const node = deps.repos.nodes.get(id)
      if (!node || node.retiredAt) throw new ChorusError('NODE_NOT_FOUND', `no node ${id}`)
    }
    const batchId = `b-${randomBytes(6).toString('hex')}`
    return { batchId, commands: issue([...new Set(nodeIds)], input, batchId) }
  }

  function toZone(zoneId: string, input: Parameters<typeof issue>[1]) {
    if (!deps.repos.zones.get(zoneId)) throw new ChorusError('ZONE_NOT_FOUND', `no zone ${zoneId}`)
    const nodeIds = deps.repos.nodes
      .list()
      .filter((n) => !n.retiredAt && deps.zoneLineage(n.zoneId).includes(zoneId))
      .map((n) => n.id)
    const batchId = `b-${randomBytes(6).toString('hex')}`
    return { batchId, commands: issue(nodeIds, input, batchId) }
  }

  function onAck(a: CommandAcked): void {
    const cmd = deps.repos.commands.get(a.cmdId)
    if (!cmd || cmd.nodeId !== a.nodeId) {
      log.warn({ nodeId: a.nodeId, cmdId: a.cmdId }, 'ack for an unknown command')
      return
    }
    const result =
      cmd.kind === 'ping'
        ? { ...a.result, rttMs: Date.parse(a.at) - Date.parse(cmd.issuedAt) }
        : a.result
    if (deps.repos.commands.ack({ ...a, id: a.cmdId, result })) {
      deps.bus.emit('commandChanged', {
        commandId: cmd.id,
        nodeId: cmd.nodeId,
        batchId: cmd.batchId,
      })
    }
  }

  function sweep(): void {
    const cutoff = new Date(deps.clock.now() - EXPIRY_GRACE_MS).toISOString()
    for (const c of deps.repos.commands.expireBefore(cutoff)) {
      deps.bus.emit('commandChanged', { commandId: c.id, nodeId: c.nodeId, batchId: c.batchId })
    }
  }

  const ackListener = (a: CommandAcked) => onAck(a)
  return {
    toNode,
    toNodes,
    toZone,
    sweep,
    start(): void {
      deps.bus.on('commandAcked', ackListener)
      stopSweep = deps.clock.every(EXPIRY_SWEEP_MS, sweep)
    },
    stop(): void {
      deps.bus.off('commandAcked', ackListener)
      stopSweep?.()
      stopSweep = null
    },
  }
}

/** The commands service. */
export type Commands = ReturnType<typeof createCommands>
