import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'

/** The SQLite handle type used across repositories. */
export type Db = Database.Database

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * Opens (creating if needed) the controller's SQLite database at `file` (or `:memory:`),
 * with WAL and foreign keys on, and applies pending migrations in one transaction.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    // SQLite gives the WAL and SHM files the database file's mode: make that private first.
    closeSync(openSync(file, 'a', 0o600))
    chmodSync(file, 0o600)
  }
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

/** Applies the numbered `migrations/NNN-*.sql` files newer than `PRAGMA user_version`. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}-.+\.sql$/.test(f))
    .sort()
  const pending = files.filter((f) => Number(f.slice(0, 3)) > current)
  if (pending.length === 0) return current
  let version = current
  db.transaction(() => {
    for (const f of pending) {
      db.exec(readFileSync(join(MIGRATIONS_DIR, f), 'utf8'))
      version = Number(f.slice(0, 3))
    }
    db.pragma(`user_version = ${version}`)
  })()
  return version
}
