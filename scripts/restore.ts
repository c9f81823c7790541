/**
 * `npm run restore -- <backup> [--data-dir ./data] [--force]`: puts a backup made by
 * `npm run backup` in place as a controller's data directory. It refuses while a controller runs
 * on that directory, and refuses to replace existing data unless `--force` is given; even then
 * nothing is deleted: the old directory is moved aside to `<data-dir>.replaced-<timestamp>`.
 * The copy is made next to the target and renamed into place, so a failed restore leaves the
 * target as it was.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { HEARTBEAT_MS } from '../controller/platform/controller-runs.js'

const USAGE = 'Usage: npm run restore -- <backup directory> [--data-dir ./data] [--force]'

function fail(message: string, code = 2): never {
  console.error(`restore: ${message}`)
  process.exit(code)
}

let parsed: ReturnType<typeof parse>
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: process.env.CHORUS_DATA_DIR ?? './data' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean' },
    },
  })
}
try {
  parsed = parse()
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`)
}
if (parsed.values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (parsed.positionals.length !== 1) fail(`name one backup directory\n${USAGE}`)
const backup = resolve(parsed.positionals[0] ?? '')
const dataDir = resolve(parsed.values['data-dir'] ?? './data')

// 1. The backup must be whole: its manifest, database and signing key.
let manifest: { kind?: string; createdAt?: string; schemaVersion?: number }
try {
  manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8'))
} catch {
  fail(`${backup} is not a Chorus backup (no readable manifest.json)`)
}
if (manifest.kind !== 'chorus-backup') fail(`${backup} is not a Chorus backup`)
for (const f of ['chorus.db', join('keys', 'controller-ed25519.pem')]) {
  if (!existsSync(join(backup, f))) fail(`${backup} is incomplete: ${f} is missing`)
}
const migrations = readdirSync(
  join(import.meta.dirname, '..', 'controller', 'platform', 'migrations'),
)
const known = Math.max(...migrations.map((f) => Number(f.slice(0, 3))).filter(Number.isFinite))
const copy = new Database(join(backup, 'chorus.db'), { readonly: true, fileMustExist: true })
const integrity = copy.pragma('integrity_check', { simple: true })
const schema = copy.pragma('user_version', { simple: true }) as number
copy.close()
if (integrity !== 'ok')
  fail(`the backup's database fails its integrity check: ${String(integrity)}`)
if (schema > known)
  fail(`the backup is from a newer Chorus (schema ${schema}, this one knows ${known})`)

// 2. Never under a running controller: its last run must be closed or long silent.
const liveDb = join(dataDir, 'chorus.db')
if (existsSync(liveDb)) {
  const db = new Database(liveDb, { readonly: true, fileMustExist: true })
  try {
    const run = db
      .prepare('SELECT alive_at, stopped_at FROM controller_runs ORDER BY id DESC LIMIT 1')
      .get() as { alive_at: string; stopped_at: string | null } | undefined
    const silentMs = run ? Date.now() - Date.parse(run.alive_at) : Number.POSITIVE_INFINITY
    if (run && run.stopped_at === null && silentMs < 3 * HEARTBEAT_MS) {
      fail(
        `a controller is running on ${dataDir} (heartbeat ${Math.round(silentMs / 1000)} s ago): ` +
          'stop it first (after a kill, wait 15 s)',
        3,
      )
    }
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_ERROR') throw err
    // An older controller without controller_runs: the existing-data check below still applies.
  } finally {
    db.close()
  }
}
const occupied = existsSync(dataDir) && readdirSync(dataDir).length > 0
if (occupied && !parsed.values.force) {
  fail(
    `${dataDir} holds data already: restore into an empty directory, or pass --force to move it aside`,
    3,
  )
}

// 3. Copy next to the target, then swap it in.
const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z')
const staging = join(dirname(dataDir), `.chorus-restore-${stamp}`)
try {
  cpSync(backup, staging, { recursive: true, preserveTimestamps: true })
  rmSync(join(staging, 'manifest.json'))
  chmodSync(staging, 0o700)
} catch (err) {
  rmSync(staging, { recursive: true, force: true })
  fail(`copying the backup failed: ${(err as Error).message}`)
}
let movedAside: string | null = null
if (existsSync(dataDir) && !occupied) rmdirSync(dataDir)
if (existsSync(dataDir)) {
  movedAside = `${dataDir}.replaced-${stamp}`
  renameSync(dataDir, movedAside)
}
renameSync(staging, dataDir)
console.log(
  `restored ${backup} (made ${manifest.createdAt}) into ${dataDir}` +
    (movedAside ? `; the previous data is in ${movedAside}` : ''),
)
