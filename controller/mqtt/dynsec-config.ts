import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  FLEET_TOPICS,
  MAX_PAYLOAD_BYTES,
  NODE_PUBLISHES,
  NODE_SUBSCRIBES,
  nodeTopic,
  TOPIC_ROOT,
} from '../../protocol/index.js'
import { newSecret } from '../provisioning/provisioning.js'

/** The dynamic-security role every node client holds. */
export const NODE_ROLE = 'chorus-node'
/** The role of the controller's own (admin) client. */
export const CONTROLLER_ROLE = 'chorus-controller'

/** One dynamic-security ACL entry. */
export interface DynsecAcl {
  acltype: string
  topic: string
  priority: number
  allow: boolean
}

/** The role holding one node's own-topic rules. */
export function nodeOwnRole(nodeId: string): string {
  return `${NODE_ROLE}-${nodeId}`
}

/**
 * The node rules, the same as the embedded broker's ACL (`broker/acl.ts`): a node publishes only
 * its own status, events and telemetry and subscribes only to its own plan, cmd and receipt
 * (its own role, literal topics: Debian's Mosquitto 2.0.11 does not substitute `%u` in dynsec
 * ACLs) and to the fleet-wide read topics (the shared role). Mosquitto cannot refuse a retained
 * publish by ACL (the embedded broker does); see docs/scaling.md.
 */
export function nodeOwnAcls(nodeId: string): DynsecAcl[] {
  return [
    ...NODE_PUBLISHES.map((c) => ({
      acltype: 'publishClientSend',
      topic: nodeTopic(nodeId, c),
      priority: 0,
      allow: true,
    })),
    ...NODE_SUBSCRIBES.map((c) => ({
      acltype: 'subscribeLiteral',
      topic: nodeTopic(nodeId, c),
      priority: 0,
      allow: true,
    })),
  ]
}

/** The shared node role's rules: the fleet-wide read topics. */
export function nodeRoleAcls(): DynsecAcl[] {
  return Object.values(FLEET_TOPICS).map((t) => ({
    acltype: 'subscribeLiteral',
    topic: t,
    priority: 0,
    allow: true,
  }))
}

/** The controller's rules: the dynsec control topics and everything under the Chorus root. */
export function controllerRoleAcls(): DynsecAcl[] {
  const all = (topic: string) =>
    ['publishClientSend', 'publishClientReceive', 'subscribePattern', 'unsubscribePattern'].map(
      (acltype) => ({ acltype, topic, priority: 0, allow: true }),
    )
  return [...all('$CONTROL/dynamic-security/#'), ...all(`${TOPIC_ROOT}/#`)]
}

/** Mosquitto's dynamic-security password hash: PBKDF2-HMAC-SHA512, 64 bytes, base64. */
export function dynsecPasswordHash(
  password: string,
  salt = randomBytes(12),
  iterations = 101,
): { password: string; salt: string; iterations: number } {
  return {
    password: pbkdf2Sync(password, salt, iterations, 64, 'sha512').toString('base64'),
    salt: salt.toString('base64'),
    iterations,
  }
}

/** The initial dynamic-security file: the controller's admin client and both roles. */
export function initialDynsecJson(admin: { username: string; password: string }): string {
  const doc = {
    defaultACLAccess: {
      publishClientSend: false,
      publishClientReceive: true,
      subscribe: false,
      unsubscribe: true,
    },
    clients: [
      {
        username: admin.username,
        textname: 'Chorus controller',
        roles: [{ rolename: CONTROLLER_ROLE }],
        ...dynsecPasswordHash(admin.password),
      },
    ],
    groups: [],
    roles: [
      { rolename: CONTROLLER_ROLE, acls: controllerRoleAcls() },
      { rolename: NODE_ROLE, acls: nodeRoleAcls() },
    ],
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}

/** Where the Mosquitto listener goes and where its files live. */
export interface MosquittoConfigInput {
  port: number
  address: string
  dynsecFile: string
  pluginPath: string
  persistenceDir: string
  /** The account mosquitto runs as once started by root (its default is `mosquitto`). */
  user?: string
}

/**
 * mosquitto.conf for Chorus. Queue limits are raised far above Mosquitto's defaults (which
 * dropped up to 90 % of a 10,000-node burst in earlier measurements); the packet limit matches
 * the protocol's largest payload plus headers.
 */
export function mosquittoConf(input: MosquittoConfigInput): string {
  return [
    '# Written by `npm run mosquitto:config`: Chorus on Mosquitto 2.0 with dynamic security.',
    'per_listener_settings false',
    ...(input.user ? [`user ${input.user}`] : []),
    `listener ${input.port} ${input.address}`,
    'allow_anonymous false',
    `plugin ${input.pluginPath}`,
    `plugin_opt_config_file ${input.dynsecFile}`,
    'max_queued_messages 100000',
    'max_inflight_messages 1000',
    `max_packet_size ${MAX_PAYLOAD_BYTES + 64 * 1024}`,
    'persistence true',
    `persistence_location ${input.persistenceDir}/`,
    'autosave_interval 60',
    '',
  ].join('\n')
}

/** What `writeMosquittoConfig` wrote. */
export interface MosquittoFiles {
  conf: string
  dynsecFile: string
  passwordFile: string
  password: string
}

/**
 * Writes `mosquitto.conf`, the initial `dynamic-security.json` and the controller's generated
 * password (`controller-password`, 0600) into `out`. Refuses to overwrite an existing
 * dynamic-security file: it holds every node's account.
 */
export function writeMosquittoConfig(opts: {
  out: string
  port: number
  address: string
  adminUsername: string
  pluginPath?: string
  /** Written as `user`: the account that owns `out` when mosquitto is started as root. */
  user?: string
}): MosquittoFiles {
  const out = resolve(opts.out)
  const dynsecFile = join(out, 'dynamic-security.json')
  if (existsSync(dynsecFile)) {
    throw new Error(`${dynsecFile} exists; it holds the node accounts, so it is left untouched`)
  }
  mkdirSync(join(out, 'data'), { recursive: true, mode: 0o700 })
  // Never starting with '-': `--broker-password <value>` must not look like a flag.
  const password = newSecret()
  const passwordFile = join(out, 'controller-password')
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 })
  writeFileSync(dynsecFile, initialDynsecJson({ username: opts.adminUsername, password }), {
    mode: 0o600,
  })
  const conf = join(out, 'mosquitto.conf')
  writeFileSync(
    conf,
    mosquittoConf({
      port: opts.port,
      address: opts.address,
      dynsecFile,
      pluginPath: opts.pluginPath ?? DEBIAN_DYNSEC_PLUGIN,
      persistenceDir: join(out, 'data'),
      ...(opts.user ? { user: opts.user } : {}),
    }),
  )
  return { conf, dynsecFile, passwordFile, password }
}

/** Where Debian's mosquitto package installs the dynamic-security plugin. */
export const DEBIAN_DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so'
