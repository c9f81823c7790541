/**
 * The fleet simulator's node identities, bound to the controller that issued them: a run against
 * another controller (or another data directory of the same address) never reuses credentials
 * that controller would refuse. Layout under the fleet's data directory:
 *
 *   controllers/<keyId>/identities.json   { controllerKeyId, controllerUrl, nodes: [...] }
 *   controllers/<keyId>/nodes/<nodeId>/   one agent data directory per node
 *
 * `<keyId>` is the controller's signing key id (first 16 hex digits of the SHA-256 of its public
 * key, `GET /api/keys/controller`), which stays the same across restarts and address changes.
 */
import { createPublicKey } from 'node:crypto'
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { readJsonFile, writeFileAtomic } from '../atomic-file.js'
import { keyIdOf } from '../verify.js'

/** A registered node identity. */
export interface FleetIdentity {
  id: string
  secret: string
  name: string
  zone?: string
}

/** The identities of one controller, and where its nodes keep their data. */
export interface ControllerIdentities {
  /** The controller's signing key id. */
  keyId: string
  /** Its public key (PEM), handed to every agent as a provisioning bundle would. */
  publicKeyPem: string
  /** `<dataDir>/controllers/<keyId>`. */
  dir: string
  /** `<dir>/identities.json`. */
  file: string
  nodes: FleetIdentity[]
}

/** What ensureIdentities needs. */
export interface IdentityOptions {
  dataDir: string
  controllerUrl: string
  /** How many identities the run needs; missing ones are registered. */
  nodes: number
  /** Zones assigned round-robin at registration. */
  zones: readonly string[]
  /** API token (installer or admin). */
  token?: string
  log: Logger
  /** Told, in one line each, what was reused, ignored or registered. */
  say: (line: string) => void
}

/** Loads this controller's identities, registering the missing ones through `POST /api/nodes`. */
export async function ensureIdentities(opts: IdentityOptions): Promise<ControllerIdentities> {
  const key = await fetchControllerKey(opts.controllerUrl)
  const dir = join(opts.dataDir, 'controllers', key.keyId)
  const file = join(dir, 'identities.json')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const stored = (await readJsonFile(file)) as
    | { controllerKeyId?: unknown; nodes?: FleetIdentity[] }
    | undefined
  if (stored && stored.controllerKeyId !== key.keyId) {
    throw new Error(
      `${file} names controller key ${String(stored.controllerKeyId)}, not ${key.keyId}: ` +
        'it was moved by hand; delete it to register new nodes',
    )
  }
  const nodes = Array.isArray(stored?.nodes) ? [...stored.nodes] : []
  if (nodes.length > 0) {
    opts.say(`fleet: reusing ${nodes.length} identities of controller ${key.keyId} (${file})`)
  } else {
    await sayWhyNew(opts, key.keyId)
  }
  const zones = opts.zones
  if (nodes.length < opts.nodes) await ensureZones(opts.controllerUrl, zones, opts.token)
  let registered = 0
  while (nodes.length < opts.nodes) {
    const batch = Array.from({ length: Math.min(8, opts.nodes - nodes.length) }, (_, k) => {
      const n = nodes.length + k
      const name = `fleet-${String(n + 1).padStart(3, '0')}`
      return register(opts.controllerUrl, name, zones[n % zones.length], opts.token)
    })
    nodes.push(...(await Promise.all(batch)))
    registered += batch.length
    const body = { controllerKeyId: key.keyId, controllerUrl: opts.controllerUrl, nodes }
    await writeFileAtomic(file, JSON.stringify(body), 0o600)
  }
  if (registered > 0) {
    opts.log.info({ registered, keyId: key.keyId }, 'fleet identities registered')
  }
  return {
    keyId: key.keyId,
    publicKeyPem: key.publicKeyPem,
    dir,
    file,
    nodes: nodes.slice(0, opts.nodes),
  }
}

/** Explains, when no identity of this controller exists, what other identities are left alone. */
async function sayWhyNew(opts: IdentityOptions, keyId: string): Promise<void> {
  const others = (await readdir(join(opts.dataDir, 'controllers')).catch(() => [])).filter(
    (k) => k !== keyId,
  )
  const legacy = join(opts.dataDir, 'identities.json')
  const hasLegacy = (await readJsonFile(legacy).catch(() => undefined)) !== undefined
  const kept = [
    ...(others.length > 0 ? [`identities of controller(s) ${others.join(', ')} are kept`] : []),
    ...(hasLegacy ? [`${legacy} (not bound to any controller) is ignored`] : []),
  ]
  opts.say(
    `fleet: no identities of controller ${keyId} (${opts.controllerUrl}) in ${opts.dataDir}: ` +
      `registering ${opts.nodes} nodes${kept.length > 0 ? `; ${kept.join('; ')}` : ''}`,
  )
}

/** The controller's signing key and its id; a clear error when the URL is not a controller. */
async function fetchControllerKey(
  controllerUrl: string,
): Promise<{ keyId: string; publicKeyPem: string }> {
  const url = new URL('/api/keys/controller', controllerUrl)
  let pem: unknown
  try {
    const res = await fetch(url)
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    pem = ((await res.json()) as { publicKeyPem?: unknown } | null)?.publicKeyPem
    if (typeof pem !== 'string') throw new Error('no publicKeyPem in the answer')
    return { keyId: keyIdOf(createPublicKey(pem)), publicKeyPem: pem }
  } catch (err) {
    throw new Error(
      `cannot read the controller's signing key from ${url} (${(err as Error).message}): ` +
        'is --controller the address of a running Chorus controller?',
    )
  }
}

/**
 * Registering never creates a zone: create the fleet's zones first (`POST /api/zones` returns an
 * existing one). Only an admin may; with an installer's token the zones must exist already, and
 * registration says so.
 */
async function ensureZones(controllerUrl: string, zones: readonly string[], token?: string) {
  for (const name of new Set(zones)) {
    await fetch(new URL('/api/zones', controllerUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ name }),
    }).then((r) => r.arrayBuffer())
  }
}

/** Registers one node: `POST /api/nodes { name, zone }` → `{ id, secret, … }`. */
async function register(
  controllerUrl: string,
  name: string,
  zone?: string,
  token?: string,
): Promise<FleetIdentity> {
  const res = await fetch(new URL('/api/nodes', controllerUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(zone === undefined ? { name } : { name, zone }),
  })
  const text = await res.text()
  if (res.status === 401 || res.status === 403) {
    throw new Error(
      `POST /api/nodes answered HTTP ${res.status}: give an installer's or admin's API token ` +
        '(--token, or CHORUS_TOKEN)',
    )
  }
  if (!res.ok) throw new Error(`POST /api/nodes for ${name} answered HTTP ${res.status}: ${text}`)
  const body = JSON.parse(text) as { id?: unknown; secret?: unknown }
  if (typeof body.id !== 'string' || typeof body.secret !== 'string') {
    throw new Error(`POST /api/nodes for ${name} returned no id and secret`)
  }
  return zone === undefined
    ? { id: body.id, secret: body.secret, name }
    : { id: body.id, secret: body.secret, name, zone }
}
