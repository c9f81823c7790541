import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type {
  CommandMessage,
  PlanMessage,
  ReceiptMessage,
  RefusalReason,
} from '../protocol/index.js'
import { readJsonFile, writeFileAtomic } from './atomic-file.js'
import { durableWriteFile, type WriteFile } from './file-writer.js'
import { httpRequest } from './http-client.js'
import { createVerifier, type Verifier } from './verify.js'

/** Where a controller key learnt on first use is pinned. */
export const PINNED_KEY_FILE = 'controller-key.pem'
const SEQ_FILE = 'trust.json'

/** What the agent trusts: the controller's signing key, and the last sequence numbers seen. */
export interface Trust {
  /** Loads the configured or pinned key, or learns it from the controller on first use. */
  ensureKey(): Promise<boolean>
  /** True when `plan` is signed by the controller and newer than the plan held. */
  acceptPlan(plan: PlanMessage, held: PlanMessage | null): Promise<boolean>
  /**
   * Checks the plan found on disk at start: signed by the controller's key, unaltered, for this
   * node (its sequence number is not compared: it is the plan last accepted). Null when good.
   */
  checkStoredPlan(plan: PlanMessage): Promise<RefusalReason | null>
  /** True when `cmd` is signed, for this node, and new (or a redelivery of a known command). */
  acceptCmd(cmd: CommandMessage, known: boolean): Promise<boolean>
  /**
   * True when `receipt` is signed by the controller and for this node: a forged receipt would
   * make the outbox delete events the controller never stored. A replayed receipt is harmless
   * (its ids are gone already, or were stored), so there is no sequence floor.
   */
  acceptReceipt(receipt: ReceiptMessage): Promise<boolean>
  /** Messages refused so far. */
  readonly refused: number
  /** Reads the stored command floor (before the first birth tells it to the controller). */
  loadFloor(): Promise<void>
  /** The highest command sequence number accepted (0 before `loadFloor`). */
  cmdFloor(): number
}

/**
 * Signature checks for plans and commands. The key comes from the configuration (the
 * provisioning bundle carries it), or from `<dataDir>/controller-key.pem`; a node set up by hand
 * without one learns it from `GET /api/keys/controller` once and pins it (trust on first use,
 * logged as a warning). Without a key every plan and command is refused.
 */
export function createTrust(deps: {
  dataDir: string
  nodeId: string
  controllerUrl: string
  configuredKey: string | null
  log: Logger
  onRefused?: (channel: 'plan' | 'cmd' | 'receipt', reason: string, id: string | null) => void
  /** Writes the command sequence floor; default durable (the pinned key always is). */
  writeFile?: WriteFile
}): Trust {
  const log = deps.log.child({ module: 'trust' })
  let verifier: Verifier | null = null
  let refused = 0
  let lastCmdSeq: number | null = null

  function use(pem: string, source: string): boolean {
    try {
      verifier = createVerifier(pem)
      log.info({ keyId: verifier.keyId, source }, 'controller key loaded')
      return true
    } catch (err) {
      log.error({ err, source }, 'controller key unusable')
      return false
    }
  }

  async function ensureKey(): Promise<boolean> {
    if (verifier) return true
    if (deps.configuredKey) return use(deps.configuredKey, 'config')
    const pinned = join(deps.dataDir, PINNED_KEY_FILE)
    try {
      return use(readFileSync(pinned, 'utf8'), 'pinned')
    } catch {
      // Not pinned yet: learn it from the controller below.
    }
    try {
      const res = await httpRequest(new URL('/api/keys/controller', deps.controllerUrl), {
        signal: AbortSignal.timeout(10_000),
      })
      if (!res.ok) {
        res.discard()
        throw new Error(`HTTP ${res.status}`)
      }
      const body = (await res.json()) as { publicKeyPem?: string }
      if (typeof body.publicKeyPem !== 'string' || !use(body.publicKeyPem, 'first use'))
        return false
      await writeFileAtomic(pinned, body.publicKeyPem)
      log.warn(
        { keyId: (verifier as Verifier | null)?.keyId },
        'controller key learnt on first use and pinned',
      )
      return true
    } catch (err) {
      log.warn({ err }, 'controller key not available yet')
      return false
    }
  }

  function refuse(
    channel: 'plan' | 'cmd' | 'receipt',
    reason: string,
    extra: { version?: string; cmdId?: string; [key: string]: unknown },
  ): false {
    refused++
    log.warn({ nodeId: deps.nodeId, channel, reason, ...extra }, 'message refused')
    deps.onRefused?.(channel, reason, extra.version ?? extra.cmdId ?? null)
    return false
  }

  async function seqFloor(): Promise<number> {
    if (lastCmdSeq === null) {
      const stored = (await readJsonFile(join(deps.dataDir, SEQ_FILE))) as
        | { cmdSeq?: number }
        | undefined
      lastCmdSeq = typeof stored?.cmdSeq === 'number' ? stored.cmdSeq : 0
    }
    return lastCmdSeq
  }

  return {
    ensureKey,
    async loadFloor() {
      await seqFloor()
    },
    cmdFloor: () => lastCmdSeq ?? 0,
    get refused() {
      return refused
    },
    async acceptPlan(plan, held) {
      if (!(await ensureKey()) || !verifier)
        return refuse('plan', 'no-key', { version: plan.version })
      const r = verifier.check(plan, held?.sig?.seq ?? 0)
      if (!r.ok) return refuse('plan', r.reason, { version: plan.version })
      return true
    },
    async checkStoredPlan(plan) {
      if (!(await ensureKey()) || !verifier) return 'no-key'
      if (plan.nodeId !== deps.nodeId) return 'other-node'
      const r = verifier.check(plan, 0)
      return r.ok ? null : r.reason
    },
    async acceptCmd(cmd, known) {
      if (!(await ensureKey()) || !verifier) return refuse('cmd', 'no-key', { cmdId: cmd.id })
      if (cmd.nodeId !== deps.nodeId) return refuse('cmd', 'other-node', { cmdId: cmd.id })
      // A redelivered command that was already handled is acknowledged again, not run again.
      const floor = known ? 0 : await seqFloor()
      const r = verifier.check(cmd, floor)
      if (!r.ok) return refuse('cmd', r.reason, { cmdId: cmd.id })
      if (!known && r.seq > (lastCmdSeq ?? 0)) {
        lastCmdSeq = r.seq
        await (deps.writeFile ?? durableWriteFile)(
          join(deps.dataDir, SEQ_FILE),
          JSON.stringify({ cmdSeq: r.seq }),
        )
      }
      return true
    },
    async acceptReceipt(receipt) {
      if (!(await ensureKey()) || !verifier) return refuse('receipt', 'no-key', {})
      if (receipt.nodeId !== deps.nodeId) return refuse('receipt', 'other-node', {})
      const r = verifier.check(receipt, 0)
      if (!r.ok) return refuse('receipt', r.reason, {})
      return true
    },
  }
}
