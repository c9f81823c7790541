/**
 * `npm run backup -- [--data-dir ./data] [--out ./backups]`: a consistent copy of a controller's
 * data, safe while the controller runs. SQLite goes through its online backup API (a snapshot
 * taken between two writes); then the signing key and its sequence floor, the TLS material and
 * the audio store are copied. The result is `<out>/chorus-backup-<UTC timestamp>/`, mode 0700,
 * written under a `.partial` name and renamed only once complete. Restore with
 * `npm run restore -- <backup> --data-dir <dir>` (docs/reliability.md).
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'

const USAGE = 'Usage: npm run backup -- [--data-dir ./data] [--out ./backups]'
/** What a backup holds besides `chorus.db`: directories of the data dir, copied when present. */
const BACKUP_DIRS = ['keys', 'tls', 'audio'] as const

function fail(message: string): never {
  console.error(`backup: ${message}`)
  process.exit(2)
}

let values: { 'data-dir'?: string; out?: string; help?: boolean }
try {
  ;({ values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: process.env.CHORUS_DATA_DIR ?? './data' },
      out: { type: 'string', default: './backups' },
      help: { type: 'boolean' },
    },
  }))
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`)
}
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const dataDir = resolve(values['data-dir'] ?? './data')
const dbFile = join(dataDir, 'chorus.db')
if (!existsSync(dbFile)) fail(`no Chorus database at ${dbFile} (is --data-dir right?)`)
if (!existsSync(join(dataDir, 'keys', 'controller-ed25519.pem'))) {
  fail(`no signing key in ${join(dataDir, 'keys')}: a backup without it could not sign plans`)
}

const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z')
const outDir = resolve(values.out ?? './backups')
mkdirSync(outDir, { recursive: true, mode: 0o700 })
const target = join(outDir, `chorus-backup-${stamp}`)
if (existsSync(target)) fail(`${target} exists already`)
const partial = `${target}.partial`
mkdirSync(partial, { mode: 0o700 })
chmodSync(partial, 0o700)

const started = Date.now()
// The online backup API: a consistent snapshot even while the controller writes (WAL mode).
const source = new Database(dbFile, { readonly: true, fileMustExist: true })
let schemaVersion: number
try {
  await source.backup(join(partial, 'chorus.db'))
  schemaVersion = source.pragma('user_version', { simple: true }) as number
} finally {
  source.close()
}
chmodSync(join(partial, 'chorus.db'), 0o600)
const check = new Database(join(partial, 'chorus.db'), { readonly: true })
const integrity = check.pragma('integrity_check', { simple: true })
const counts = {
  nodes: (check.prepare('SELECT count(*) AS n FROM nodes').get() as { n: number }).n,
  users: (check.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n,
  events: (check.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n,
  audio: (check.prepare('SELECT count(*) AS n FROM audio').get() as { n: number }).n,
}
check.close()
if (integrity !== 'ok') fail(`the copied database fails its integrity check: ${String(integrity)}`)

// Files after the database: every audio row in the snapshot has its file (files added since are
// extra and harmless). Audio files are written under tmp/ and renamed, so none is half-copied.
for (const dir of BACKUP_DIRS) {
  const from = join(dataDir, dir)
  if (existsSync(from))
    cpSync(from, join(partial, dir), { recursive: true, preserveTimestamps: true })
}
const audioFiles = existsSync(join(partial, 'audio'))
  ? readdirSync(join(partial, 'audio')).length
  : 0
const manifest = {
  kind: 'chorus-backup',
  createdAt: new Date(started).toISOString(),
  sourceDataDir: dataDir,
  schemaVersion,
  counts: { ...counts, audioFiles },
  dirs: BACKUP_DIRS.filter((d) => existsSync(join(partial, d))),
}
writeFileSync(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, {
  mode: 0o600,
})
renameSync(partial, target)
const mb = (statSync(join(target, 'chorus.db')).size / 1e6).toFixed(1)
console.log(
  `backup written: ${target} (database ${mb} MB, ${counts.nodes} nodes, ${counts.users} users, ` +
    `${counts.events} events, ${audioFiles} audio files) in ${Date.now() - started} ms`,
)
