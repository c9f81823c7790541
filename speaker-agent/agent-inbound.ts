/**
 * @module agent-inbound
 * What the agent obeys: the router decodes each inbound message once, and only what the
 * controller signed reaches the plan and command handlers (docs/protocol.md, "Signed plans and
 * commands"); receipts let the outbox forget events. Refusals are reported once, as events.
 */
import type { EventEmitter } from 'node:events'
import type { Logger } from 'pino'
import type { PayloadDecoder, RefusalReason } from '../protocol/index.js'
import type { AgentEvents } from './agent-types.js'
import type { NodeConfig } from './config.js'
import type { HandlerContext } from './context.js'
import type { WriteFile } from './file-writer.js'
import { handleCmd } from './handlers/cmd.js'
import { handlePlan } from './handlers/plan.js'
import type { Refusals } from './refusals.js'
import { createRouter } from './router.js'
import { createTrust } from './trust.js'

export function createInbound(deps: {
  config: Pick<NodeConfig, 'nodeId' | 'controllerUrl' | 'controllerKey'>
  dataDir: string
  /** How the pinned controller key is written (agent-types.ts `AgentOptions.writeFile`). */
  writeFile?: WriteFile
  decoder: PayloadDecoder
  log: Logger
  ctx: HandlerContext
  refusals: Refusals
  events: EventEmitter<AgentEvents>
  /** The outbox forgets these events (stored or refused for good by the controller). */
  receipted: (ids: string[]) => Promise<unknown>
  rebirth: () => Promise<void>
}) {
  const { config, ctx, refusals, events, log } = deps
  const { state } = ctx
  const trust = createTrust({
    dataDir: deps.dataDir,
    ...(deps.writeFile ? { writeFile: deps.writeFile } : {}),
    nodeId: config.nodeId,
    controllerUrl: config.controllerUrl,
    configuredKey: config.controllerKey ?? null,
    log,
    onRefused: (channel, reason, id) => {
      events.emit('refused', channel, reason)
      // A redelivery of the plan held (MQTT QoS 1 may deliver twice) is no news; a refused
      // receipt only keeps its events in the outbox.
      if (channel === 'receipt') return
      if (channel === 'plan' && reason === 'replay' && id === state.plan?.version) return
      refusals.refused(channel, reason as RefusalReason, { id })
    },
  })
  const router = createRouter({
    nodeId: config.nodeId,
    decoder: deps.decoder,
    log: log.child({ module: 'router' }),
    onUndecodable: (channel, payload, errors) => {
      events.emit('refused', channel, refusals.undecodable(channel, payload, errors))
    },
    handlers: {
      plan: async (plan) => {
        if (await trust.acceptPlan(plan, state.plan)) await handlePlan(plan, ctx)
      },
      cmd: async (cmd) => {
        if (await trust.acceptCmd(cmd, ctx.commands.has(cmd.id))) await handleCmd(cmd, ctx)
      },
      receipt: async (receipt) => {
        if (!(await trust.acceptReceipt(receipt))) return
        const ids = [...receipt.stored, ...receipt.rejected]
        await deps.receipted(ids)
        events.emit('receipted', ids)
      },
      rebirth: deps.rebirth,
    },
  })
  return { trust, router }
}
