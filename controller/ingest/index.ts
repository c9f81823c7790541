import type { Logger } from 'pino'
import { createPayloadDecoder } from '../../protocol/index.js'
import type { Config } from '../config.js'
import { createSampledLog } from '../mqtt/sampled-log.js'
import type { Clock, EventBus, Signer } from '../platform/index.js'
import type { Publish } from '../programme/index.js'
import type { NodeKeys, NodeRegistry } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'
import { createEventIngest } from './event-ingest.js'
import { createEventIntake } from './event-intake.js'
import { createReceipts } from './receipts.js'
import { createVerifyPool } from './verify-pool.js'

// The ingest module's public face: what other modules may import from it.
export type { EventRefusal } from './event-signature.js'
export type { PlaysQuery, StartRow } from './repositories/events-repository.js'

/**
 * Event intake: nodes' signed play events are checked (signature, key, shape), stored in
 * batches exactly once, announced on the bus and acknowledged with signed receipts.
 */
export function createIngestModule(deps: {
  repos: Pick<SharedRepositories, 'events' | 'programme'>
  /** Provisioning's write of a node's applied plan (it owns the nodes table). */
  registry: NodeRegistry
  bus: EventBus
  clock: Clock
  log: Logger
  config: Pick<Config, 'tz' | 'rejectLogIntervalSec' | 'ingestVerifyThreads'>
  signer: Pick<Signer, 'sign'>
  publish: Publish
  keys: NodeKeys
  /** Counted as rejected MQTT input (the router's stats). */
  onRejected: () => void
  /** Told how long each batched write took, in seconds. */
  observeWrite: (seconds: number) => void
}) {
  const { clock, log, config } = deps
  const receipts = createReceipts({
    sign: (m) => deps.signer.sign(m),
    publish: deps.publish,
    clock,
    tz: config.tz,
    log,
  })
  const ingest = createEventIngest({
    repos: deps.repos,
    registry: deps.registry,
    bus: deps.bus,
    clock,
    log,
    tz: config.tz,
    observeWrite: deps.observeWrite,
    onCommitted: receipts.send,
  })
  const verify = createVerifyPool({ threads: config.ingestVerifyThreads, log })
  const intake = createEventIntake({
    keys: deps.keys,
    verify,
    decoder: createPayloadDecoder(),
    ingest,
    log,
    onRejected: deps.onRejected,
    warn: createSampledLog({
      log: log.child({ module: 'event-intake' }),
      intervalMs: config.rejectLogIntervalSec * 1000,
      now: () => clock.now(),
    }).warn,
  })
  return {
    name: 'ingest',
    services: { ingest, intake, verify },
    /** Messages still being checked reach the last batch; then the worker threads end. */
    async stop(): Promise<void> {
      try {
        await verify.stop()
      } finally {
        ingest.stop()
      }
    },
  }
}

/** The ingest module. */
export type IngestModule = ReturnType<typeof createIngestModule>
