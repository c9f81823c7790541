import { createHash, randomBytes } from 'node:crypto'
import { ChorusError } from '../errors.js'
import type { Clock } from '../platform/index.js'
import type { Repositories } from '../repositories.js'

/** Where nodes reach the controller and the broker, and the CA they must trust (TLS). */
export interface NodeFacing {
  brokerUrl: string
  controllerUrl: string
  /** PEM CA certificate when TLS is on; null otherwise. */
  caCert: string | null
  /** The controller's Ed25519 public key (SPKI PEM) that plans and commands are signed with. */
  controllerKey: string
}

/**
 * Everything a new node needs to enroll: shown as JSON and as a QR code on the installer's
 * phone, and read by `chorus-agent --enroll`. The token is one-time and expires.
 */
export interface ProvisioningBundle extends NodeFacing {
  v: 1
  nodeId: string
  enrollmentToken: string
  expiresAt: string
}

/** Long-lived credentials handed out in exchange for an enrollment token. */
export interface Enrolled {
  nodeId: string
  secret: string
  brokerUrl: string
  controllerUrl: string
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/**
 * One-time enrollment tokens: 256 random bits, stored only as their SHA-256, one open token per
 * node (a new one revokes the older), used at most once, valid for `ttlMs`.
 */
export function createEnrollment(deps: {
  repos: Pick<Repositories, 'enrollments' | 'nodes'>
  clock: Clock
  ttlMs: number
  nodeFacing: () => NodeFacing
  /** A new node secret and its stored hash. */
  newCredentials: () => { secret: string; hash: string }
}) {
  const { repos, clock } = deps
  const iso = (ms: number) => new Date(ms).toISOString()

  /** Issues a fresh token for `nodeId` (revoking its older unused ones) and builds the bundle. */
  function issue(nodeId: string): ProvisioningBundle {
    const token = randomBytes(32).toString('base64url')
    const now = clock.now()
    const expiresAt = iso(now + deps.ttlMs)
    repos.enrollments.issue({ tokenHash: sha256(token), nodeId, createdAt: iso(now), expiresAt })
    const facing = deps.nodeFacing()
    return {
      v: 1,
      nodeId,
      brokerUrl: facing.brokerUrl,
      controllerUrl: facing.controllerUrl,
      enrollmentToken: token,
      expiresAt,
      caCert: facing.caCert,
      controllerKey: facing.controllerKey,
    }
  }

  /**
   * Exchanges a valid token for a new node secret (the node's previous secret stops working).
   * Throws ENROLLMENT_INVALID (unknown, forged, another node's, revoked), ENROLLMENT_USED or
   * ENROLLMENT_EXPIRED, and then changes nothing.
   */
  function redeem(nodeId: string, token: string): Enrolled {
    const tokenHash = sha256(token)
    const record = repos.enrollments.get(tokenHash)
    if (!record || record.nodeId !== nodeId) {
      throw new ChorusError(
        'ENROLLMENT_INVALID',
        'this enrollment token is not valid for this node',
      )
    }
    if (record.usedAt) {
      throw new ChorusError(
        'ENROLLMENT_USED',
        'this enrollment token was already used; issue a new provisioning bundle',
      )
    }
    if (record.revokedAt) {
      throw new ChorusError(
        'ENROLLMENT_INVALID',
        'this enrollment token was revoked (a newer bundle was issued, or the node was replaced)',
      )
    }
    const now = clock.now()
    if (Date.parse(record.expiresAt) <= now) {
      throw new ChorusError(
        'ENROLLMENT_EXPIRED',
        `this enrollment token expired at ${record.expiresAt}; issue a new provisioning bundle`,
      )
    }
    const node = repos.nodes.get(nodeId)
    if (!node || node.retiredAt) {
      throw new ChorusError(
        'ENROLLMENT_INVALID',
        'this enrollment token is not valid for this node',
      )
    }
    const { secret, hash } = deps.newCredentials()
    if (!repos.enrollments.redeem({ tokenHash, nodeId, secretHash: hash, at: iso(now) })) {
      throw new ChorusError('ENROLLMENT_USED', 'this enrollment token was already used')
    }
    const facing = deps.nodeFacing()
    return { nodeId, secret, brokerUrl: facing.brokerUrl, controllerUrl: facing.controllerUrl }
  }

  return { issue, redeem }
}

/** The enrollment helper of the provisioning service. */
export type Enrollment = ReturnType<typeof createEnrollment>
