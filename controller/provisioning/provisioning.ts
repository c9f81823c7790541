import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Logger } from 'pino'
import type { CredentialStore, Identity } from '../../broker/index.js'
import { ChorusError } from '../errors.js'
import type { BrokerAccounts } from '../mqtt/dynsec.js'
import type { Clock, EventBus } from '../platform/index.js'
import type { Repositories } from '../repositories.js'
import { codeShapeProblem } from './district-catalogue.js'
import { createEnrollment, type NodeFacing, type ProvisioningBundle } from './enrollment.js'
import type { NodeKeys } from './node-keys.js'
import type { NodeRecord } from './repositories/nodes-repository.js'
import type { Zone } from './repositories/zones-repository.js'

/** SHA-256 of a secret, hex. Secrets are 256 random bits, so a slow KDF would add nothing. */
export function hashSecret(secret: string | Buffer): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** A new random secret: 256 bits, base64url. */
export function newSecret(): string {
  // Never start with '-' or '_': a secret passed as `--secret <value>` must not look like a flag.
  for (;;) {
    const secret = randomBytes(32).toString('base64url')
    if (/^[A-Za-z0-9]/.test(secret)) return secret
  }
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}

/** What registering a node needs. */
export interface RegisterNodeInput {
  name: string
  zone: string
  lat?: number | null
  lon?: number | null
  isTest?: boolean
  /** Hardware serial. */
  serial?: string | null
  notes?: string | null
}

/** What replacing a node's hardware may change. */
export interface ReplaceNodeInput {
  serial?: string | null
  notes?: string | null
}

/**
 * Node registration and field provisioning (enrollment bundles, replace, retire, rotate), zones,
 * and the broker's credential store. Every change of a node's credentials takes effect at once:
 * the broker reads the hash on each connect, and `kick` ends a session opened with the old ones.
 */
export function createProvisioning(deps: {
  repos: Pick<Repositories, 'enrollments' | 'nodes' | 'zones'>
  bus: EventBus
  clock: Clock
  /**
   * The controller's own broker account; `passwordHash` null when it has none (the embedded
   * broker, where the controller is an in-process session): that username is then refused.
   */
  service: { username: string; passwordHash: string | null }
  log: Logger
  /** Disconnects a node's live MQTT session; false when it had none (or the broker is external). */
  kick: (nodeId: string) => boolean
  /** Lifetime of an enrollment token, in ms. */
  enrollmentTtlMs: number
  /** Addresses and CA put into provisioning bundles (known once the controller listens). */
  nodeFacing: () => NodeFacing
  /** Nodes' event-signing keys: registered at enrollment, forgotten on replacement. */
  nodeKeys?: Pick<NodeKeys, 'check' | 'register' | 'forget'>
  /**
   * The broker's own node accounts (Mosquitto's dynamic security); omitted for the embedded
   * broker, which reads the stored hash on each connect.
   */
  accounts?: BrokerAccounts
}) {
  const { repos, bus, clock } = deps
  const log = deps.log.child({ module: 'provisioning' })
  const newCredentials = () => {
    const secret = newSecret()
    return { secret, hash: hashSecret(secret) }
  }
  const enrollment = createEnrollment({
    repos,
    clock,
    ttlMs: deps.enrollmentTtlMs,
    nodeFacing: deps.nodeFacing,
    newCredentials,
  })
  const nowIso = () => new Date(clock.now()).toISOString()

  function newZoneId(): string {
    return `z-${randomBytes(4).toString('hex')}`
  }

  /**
   * Finds a zone by id, code or unique name. An unknown zone is refused: registering a node
   * never creates a zone (the office keeps the tree on the zones page).
   */
  function resolveZone(ref: string): Zone {
    const found = repos.zones.resolve(ref)
    if (found) return found
    const named = repos.zones.findByName(ref)
    if (named.length === 1 && named[0]) return named[0]
    if (named.length > 1) {
      throw new ChorusError('ZONE_AMBIGUOUS', `several zones are named "${ref}"; use a zone id`, {
        details: named.map((z) => z.id),
      })
    }
    throw new ChorusError(
      'ZONE_NOT_FOUND',
      `zone "${ref}" does not exist: an admin creates it on the zones page first`,
    )
  }

  function createZone(input: { name: string; parentId?: string | null; code?: string | null }) {
    if (input.parentId && !repos.zones.get(input.parentId)) {
      throw new ChorusError('ZONE_NOT_FOUND', `parent zone ${input.parentId} does not exist`)
    }
    const clash = repos.zones
      .findByName(input.name)
      .find((z) => z.parentId === (input.parentId ?? null))
    if (clash) return clash
    const code = input.code?.trim() || null
    if (code !== null) {
      const parentCode = input.parentId ? (repos.zones.get(input.parentId)?.code ?? null) : null
      const shape = codeShapeProblem(code, parentCode)
      if (shape) throw new ChorusError('ZONE_INVALID', `code ${code}: ${shape}`)
      const taken = repos.zones.findByCode(code)
      if (taken) throw new ChorusError('ZONE_EXISTS', `code ${code} is already ${taken.name}`)
    }
    const zone: Zone = {
      id: newZoneId(),
      name: input.name,
      parentId: input.parentId ?? null,
      code,
    }
    return repos.zones.insert(zone, new Date(clock.now()).toISOString())
  }

  // A zone's lineage, once its chain reaches a top-level zone, changes only when a zone moves:
  // cached per zone (alert passes ask for every node) and forgotten on a move.
  const lineages = new Map<string, readonly string[]>()

  /** The zone and all its ancestors, nearest first. */
  function zoneLineage(zoneId: string): string[] {
    const cached = lineages.get(zoneId)
    if (cached) return [...cached]
    const out: string[] = []
    let cur = repos.zones.get(zoneId)
    while (cur && !out.includes(cur.id)) {
      out.push(cur.id)
      if (cur.parentId === null) {
        lineages.set(zoneId, Object.freeze([...out]))
        break
      }
      cur = repos.zones.get(cur.parentId)
    }
    return out
  }

  /**
   * Registers a node. The secret works at once (scripts, the fleet simulator) until the node
   * enrolls with the bundle's one-time token, which rotates it.
   */
  function registerNode(input: RegisterNodeInput): {
    node: NodeRecord
    secret: string
    bundle: ProvisioningBundle
  } {
    const zone = resolveZone(input.zone)
    const serial = input.serial?.trim()
    const taken = serial ? repos.nodes.findBySerial(serial) : null
    if (taken) {
      throw new ChorusError('SERIAL_TAKEN', `serial ${serial} is already ${taken.name}`, {
        details: { nodeId: taken.id },
      })
    }
    const id = `node-${randomBytes(5).toString('hex')}`
    const { secret, hash } = newCredentials()
    repos.nodes.insert({
      id,
      name: input.name,
      zoneId: zone.id,
      lat: input.lat ?? null,
      lon: input.lon ?? null,
      isTest: input.isTest ?? false,
      secretHash: hash,
      createdAt: nowIso(),
      serial: input.serial || null,
      notes: input.notes || null,
    })
    const bundle = enrollment.issue(id)
    deps.accounts?.setNode(id, secret)
    bus.emit('nodeChanged', { nodeId: id })
    return { node: getNode(id), secret, bundle }
  }

  function getNode(id: string): NodeRecord {
    const node = repos.nodes.get(id)
    if (!node) throw new ChorusError('NODE_NOT_FOUND', `no node ${id}`)
    return node
  }

  function activeNode(id: string): NodeRecord {
    const node = getNode(id)
    if (node.retiredAt) {
      throw new ChorusError('NODE_RETIRED', `node ${id} was retired at ${node.retiredAt}`)
    }
    return node
  }

  function kick(nodeId: string, why: string): void {
    const kicked = deps.kick(nodeId)
    log.info({ nodeId, why, kicked }, 'node credentials changed')
  }

  /** A fresh enrollment bundle for an active node; its older unused tokens stop working. */
  function issueEnrollment(nodeId: string): ProvisioningBundle {
    activeNode(nodeId)
    const bundle = enrollment.issue(nodeId)
    log.info({ nodeId, expiresAt: bundle.expiresAt }, 'enrollment bundle issued')
    return bundle
  }

  /**
   * `POST /api/enroll`: the one-time token buys a new long-lived secret; the node's previous
   * secret (the one shown at registration, or an older enrollment's) stops working at once.
   */
  function enroll(nodeId: string, token: string, publicKey?: string) {
    // A bad key is refused before the token is spent: nothing changes.
    if (publicKey !== undefined) deps.nodeKeys?.check(publicKey)
    const enrolled = enrollment.redeem(nodeId, token)
    if (publicKey !== undefined) deps.nodeKeys?.register(nodeId, publicKey)
    deps.accounts?.setNode(nodeId, enrolled.secret)
    kick(nodeId, 'enrolled')
    bus.emit('nodeChanged', { nodeId })
    return enrolled
  }

  /**
   * New hardware takes over the node's identity, history and place: the old credentials and
   * open tokens are revoked and its session ended; a new bundle is returned for the new
   * hardware to enroll with.
   */
  function replaceNode(
    nodeId: string,
    input: ReplaceNodeInput = {},
  ): { node: NodeRecord; bundle: ProvisioningBundle } {
    activeNode(nodeId)
    const at = nowIso()
    // Nobody learns this secret: until the new hardware enrolls, no one can connect as the node.
    repos.nodes.replace({
      id: nodeId,
      secretHash: newCredentials().hash,
      at,
      serial: input.serial || null,
      notes: input.notes || null,
    })
    const bundle = enrollment.issue(nodeId)
    // The new hardware brings a key of its own (at enrollment, or pinned from its first birth).
    deps.nodeKeys?.forget(nodeId)
    deps.accounts?.removeNode(nodeId)
    kick(nodeId, 'replaced')
    bus.emit('nodeChanged', { nodeId })
    return { node: getNode(nodeId), bundle }
  }

  /** Retires a node: credentials and open tokens revoked, session ended, history kept. */
  function retireNode(nodeId: string): NodeRecord {
    const node = getNode(nodeId)
    if (node.retiredAt) return node
    const at = nowIso()
    repos.nodes.retire(nodeId, newCredentials().hash, at)
    repos.enrollments.revokeOpen(nodeId, at)
    deps.accounts?.removeNode(nodeId)
    kick(nodeId, 'retired')
    bus.emit('nodeChanged', { nodeId })
    return getNode(nodeId)
  }

  /**
   * A new secret for an active node, returned this once; the old one stops working at once, and
   * so do the node's open enrollment tokens (an old bundle would otherwise buy new credentials
   * and lock the real node out).
   */
  function rotateSecret(nodeId: string): { node: NodeRecord; secret: string } {
    activeNode(nodeId)
    const { secret, hash } = newCredentials()
    repos.nodes.setSecretHash(nodeId, hash)
    repos.enrollments.revokeOpen(nodeId, nowIso())
    deps.accounts?.setNode(nodeId, secret)
    kick(nodeId, 'rotated')
    bus.emit('nodeChanged', { nodeId })
    return { node: getNode(nodeId), secret }
  }

  const credentials: CredentialStore = {
    authenticate(username: string, password: Buffer): Identity | null {
      if (username === deps.service.username) {
        const hash = deps.service.passwordHash
        return hash !== null && sameHash(hashSecret(password), hash)
          ? { kind: 'service', name: username }
          : null
      }
      const stored = repos.nodes.secretHash(username)
      if (!stored) return null
      return sameHash(hashSecret(password), stored) ? { kind: 'node', nodeId: username } : null
    },
  }

  return {
    registerNode,
    issueEnrollment,
    enroll,
    replaceNode,
    retireNode,
    rotateSecret,
    resolveZone,
    createZone,
    zoneLineage,
    credentials,
    listZones: () => repos.zones.list(),
    /** Forgets cached zone lineages (a zone moved). */
    forgetLineages: () => lineages.clear(),
    /** Resolves once the broker holds every account change made so far (HTTP answers wait). */
    accountsApplied: () => deps.accounts?.idle() ?? Promise.resolve(),
  }
}

/** The provisioning service. */
export type Provisioning = ReturnType<typeof createProvisioning>
