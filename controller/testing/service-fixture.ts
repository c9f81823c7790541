import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { onTestFinished } from 'vitest'
import type { StatusMessage } from '../../protocol/index.js'
import { createManualClock, type ManualClock } from '../../testing/manual-clock.js'
import { createFleetMonitor, type FleetMonitor } from '../fleet/fleet-monitor.js'
import { openDatabase } from '../platform/database.js'
import { createEventBus, type EventBus } from '../platform/events.js'
import type { Publish } from '../programme/plan-publisher.js'
import { createNodeRegistry, type NodeRegistry } from '../provisioning/node-registry.js'
import { createProvisioning, hashSecret, type Provisioning } from '../provisioning/provisioning.js'
import { createRepositories, type Repositories } from '../repositories.js'

/** One published MQTT message, as a service handed it to its `publish` port. */
export interface Published {
  topic: string
  payload: string
}

/**
 * The parts most controller services stand on, for unit tests on a manual clock: a real SQLite
 * file in a temporary directory, the real repositories, event bus, provisioning (zones, nodes)
 * and fleet monitor. Removed when the test finishes.
 */
export interface ServiceFixture {
  /** The controller's data directory (a temporary one): the database, the signing key. */
  dataDir: string
  clock: ManualClock
  repos: Repositories
  bus: EventBus
  log: pino.Logger
  provisioning: Provisioning
  /** Provisioning's writes of what nodes report (presence, applied plan). */
  registry: NodeRegistry
  fleet: FleetMonitor
  /** The `publish` port services are given; what it was handed lands in `published`. */
  publish: Publish
  published: Published[]
  /** Makes the next `n` publishes fail (a broker that does not acknowledge). */
  failNextPublishes(n: number): void
  /** Registers a node in `zone` (created on first use). */
  addNode(name: string, zone?: string): string
  /** The node's birth on `status`, as the MQTT router hands it to the fleet monitor. */
  birth(nodeId: string, bootId?: string, planVersion?: string | null): void
  /** The node's last will on `status`. */
  will(nodeId: string, bootId?: string): void
  /** Adds what the fleet monitor calls on each birth (the plan publisher's handshake). */
  answerBirths(fn: (nodeId: string, planVersion: string | null) => Promise<void>): void
}

/** Builds the fixture; the fleet monitor is started (stop it to flush presence). */
export function serviceFixture(): ServiceFixture {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-svc-'))
  const db = openDatabase(join(dir, 'chorus.db'))
  const repos = createRepositories(db)
  const bus = createEventBus()
  const clock = createManualClock()
  const log = pino({ level: 'silent' })
  const published: Published[] = []
  let failing = 0
  const provisioning = createProvisioning({
    repos,
    bus,
    clock,
    log,
    service: { username: 'chorus-controller', passwordHash: hashSecret('unused') },
    kick: () => false,
    enrollmentTtlMs: 3_600_000,
    nodeFacing: () => ({
      brokerUrl: 'mqtt://127.0.0.1:1883',
      controllerUrl: 'http://127.0.0.1:8080',
      caCert: null,
      controllerKey: '',
    }),
  })
  const births: Array<(nodeId: string, planVersion: string | null) => Promise<void>> = []
  const registry = createNodeRegistry({ repos })
  const fleet = createFleetMonitor({
    repos,
    registry,
    bus,
    clock,
    log,
    flapWindowSec: 600,
    flapThreshold: 6,
    onBirth: async (nodeId, planVersion) => {
      for (const b of births) await b(nodeId, planVersion)
    },
  })
  fleet.start()
  onTestFinished(() => {
    fleet.stop()
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const status = (nodeId: string, state: 'online' | 'offline', bootId: string) =>
    ({
      v: 1,
      state,
      nodeId,
      bootId,
      agentVersion: 'test',
      planVersion: null,
      reason: state === 'online' ? 'birth' : 'will',
    }) satisfies StatusMessage
  return {
    dataDir: dir,
    clock,
    repos,
    bus,
    log,
    provisioning,
    registry,
    fleet,
    published,
    publish: async (topic, payload) => {
      if (failing > 0) {
        failing--
        throw new Error('broker did not acknowledge')
      }
      published.push({ topic, payload: payload.toString() })
    },
    failNextPublishes: (n) => {
      failing = n
    },
    addNode: (name, zone = '西海路社区') => {
      // Zones are made by an admin first; createZone returns the one that exists.
      const { id } = provisioning.createZone({ name: zone })
      return provisioning.registerNode({ name, zone: id }).node.id
    },
    birth: (nodeId, bootId = 'boot-1', planVersion = null) =>
      fleet.onStatus(nodeId, { ...status(nodeId, 'online', bootId), planVersion }),
    will: (nodeId, bootId = 'boot-1') => fleet.onStatus(nodeId, status(nodeId, 'offline', bootId)),
    answerBirths: (fn) => {
      births.push(fn)
    },
  }
}
