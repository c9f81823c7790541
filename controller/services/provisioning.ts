import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { CredentialStore, Identity } from '../../broker/index.js'
import type { Repositories } from '../db/repositories/index.js'
import type { NodeRecord } from '../db/repositories/nodes-repository.js'
import type { Zone } from '../db/repositories/zones-repository.js'
import { ChorusError } from '../errors.js'
import type { EventBus } from '../events.js'
import type { Clock } from '../time.js'

/** SHA-256 of a secret, hex. Secrets are 256 random bits, so a slow KDF would add nothing. */
export function hashSecret(secret: string | Buffer): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** A new random secret: 256 bits, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
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
}

/** Node registration, zones, and the broker's credential store. */
export function createProvisioning(deps: {
  repos: Repositories
  bus: EventBus
  clock: Clock
  service: { username: string; passwordHash: string }
}) {
  const { repos, bus, clock } = deps

  function newZoneId(): string {
    return `z-${randomBytes(4).toString('hex')}`
  }

  /** Finds a zone by id or by unique name; an unknown name creates a zone at the top level. */
  function resolveZone(ref: string): Zone {
    const byId = repos.zones.get(ref)
    if (byId) return byId
    const named = repos.zones.findByName(ref)
    if (named.length === 1 && named[0]) return named[0]
    if (named.length > 1) {
      throw new ChorusError('ZONE_AMBIGUOUS', `several zones are named "${ref}"; use a zone id`, {
        details: named.map((z) => z.id),
      })
    }
    return createZone({ name: ref })
  }

  function createZone(input: { name: string; parentId?: string | null; code?: string | null }) {
    if (input.parentId && !repos.zones.get(input.parentId)) {
      throw new ChorusError('ZONE_NOT_FOUND', `parent zone ${input.parentId} does not exist`)
    }
    const clash = repos.zones
      .findByName(input.name)
      .find((z) => z.parentId === (input.parentId ?? null))
    if (clash) return clash
    const zone: Zone = {
      id: newZoneId(),
      name: input.name,
      parentId: input.parentId ?? null,
      code: input.code ?? null,
    }
    return repos.zones.insert(zone, new Date(clock.now()).toISOString())
  }

  /** The zone and all its ancestors, nearest first. */
  function zoneLineage(zoneId: string): string[] {
    const out: string[] = []
    let cur = repos.zones.get(zoneId)
    while (cur && !out.includes(cur.id)) {
      out.push(cur.id)
      cur = cur.parentId ? repos.zones.get(cur.parentId) : null
    }
    return out
  }

  function registerNode(input: RegisterNodeInput): { node: NodeRecord; secret: string } {
    const zone = resolveZone(input.zone)
    const id = `node-${randomBytes(5).toString('hex')}`
    const secret = newSecret()
    repos.nodes.insert({
      id,
      name: input.name,
      zoneId: zone.id,
      lat: input.lat ?? null,
      lon: input.lon ?? null,
      isTest: input.isTest ?? false,
      secretHash: hashSecret(secret),
      createdAt: new Date(clock.now()).toISOString(),
    })
    const node = repos.nodes.get(id)
    if (!node) throw new Error(`node ${id} vanished after insert`)
    bus.emit('nodeChanged', { nodeId: id })
    return { node, secret }
  }

  const credentials: CredentialStore = {
    authenticate(username: string, password: Buffer): Identity | null {
      if (username === deps.service.username) {
        return sameHash(hashSecret(password), deps.service.passwordHash)
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
    resolveZone,
    createZone,
    zoneLineage,
    credentials,
    listZones: () => repos.zones.list(),
  }
}

/** The provisioning service. */
export type Provisioning = ReturnType<typeof createProvisioning>
