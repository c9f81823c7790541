import { readFileSync } from 'node:fs'
import { chmod, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type Static, Type } from 'typebox'
import { Value } from 'typebox/value'
import { NODE_ID_PATTERN } from '../protocol/index.js'
import { writeFileAtomic } from './atomic-file.js'
import { NodeConfigSchema } from './config.js'
import { AGENT_CONFIG, AgentError } from './errors.js'

/** Name of the file, in the data directory, that holds the credentials enrollment obtained. */
export const CREDENTIALS_FILE = 'credentials.json'

/** What `<dataDir>/credentials.json` holds (mode 0600): the node's identity and addresses. */
export const StoredCredentialsSchema = Type.Object({
  v: Type.Literal(1),
  nodeId: Type.String({ pattern: NODE_ID_PATTERN }),
  secret: Type.String({ minLength: 1 }),
  brokerUrl: Type.String({ minLength: 1 }),
  controllerUrl: Type.String({ minLength: 1 }),
  enrolledAt: Type.String(),
  /** From the provisioning bundle (the trust anchors, delivered by the installer). */
  controllerKey: Type.Optional(Type.String({ minLength: 1 })),
  caCert: Type.Optional(Type.String({ minLength: 1 })),
  /** The node's own Ed25519 private key (PKCS#8 PEM) its events are signed with. */
  nodeKey: Type.Optional(Type.String({ minLength: 1 })),
})

/** Stored credentials. */
export type StoredCredentials = Static<typeof StoredCredentialsSchema>

/**
 * Writes the credentials atomically with file mode 0600 (the data directory is created 0700 if
 * missing); returns the file's path.
 */
export async function saveCredentials(dataDir: string, c: StoredCredentials): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, CREDENTIALS_FILE)
  await writeFileAtomic(file, `${JSON.stringify(c, null, 2)}\n`, 0o600)
  // The temporary file was created 0600 already (umask can only remove bits); be explicit anyway.
  await chmod(file, 0o600)
  return file
}

/** The stored credentials of `dataDir`, or undefined when it has none; throws when corrupt. */
export function loadCredentials(dataDir: string): StoredCredentials | undefined {
  const file = join(dataDir, CREDENTIALS_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new AgentError(AGENT_CONFIG, `${file}: ${(err as Error).message}`)
  }
  if (!Value.Check(StoredCredentialsSchema, parsed)) {
    const first = Value.Errors(StoredCredentialsSchema, parsed)[0]
    throw new AgentError(
      AGENT_CONFIG,
      `${file}: not valid credentials (${first?.instancePath || '/'} ${first?.message ?? ''})`,
    )
  }
  return parsed
}

/**
 * The data directory a start will use, before the whole configuration is validated: the flag,
 * else the config file's `dataDir`, else the default. Needed to find credentials.json.
 */
export function dataDirOf(p: { file?: string | undefined; flag?: string | undefined }): string {
  if (p.flag !== undefined) return p.flag
  if (p.file !== undefined) {
    try {
      const parsed = JSON.parse(readFileSync(p.file, 'utf8')) as { dataDir?: unknown }
      if (typeof parsed.dataDir === 'string' && parsed.dataDir !== '') return parsed.dataDir
    } catch {
      // loadNodeConfig reports an unreadable or invalid config file.
    }
  }
  return (NodeConfigSchema.properties.dataDir as { default?: string }).default ?? './node-data'
}
