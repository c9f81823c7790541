/**
 * @module data-dir
 * The data directory holds the database (with its WAL and SHM files), the signing key, the TLS
 * CA and keys, and the audio library: only the controller's own OS user may read any of it.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** Mode of the data directory and every directory in it. */
export const DATA_DIR_MODE = 0o700
/** Mode of every file in the data directory. */
export const DATA_FILE_MODE = 0o600

/** What the controller keeps in its data directory; anything else there is left alone. */
const OWN = /^(chorus\.db(-wal|-shm|-journal)?|keys|tls|audio|tmp)$/

/**
 * Creates the data directory if needed and makes it and what the controller keeps in it private
 * to the controller's user: directories 0700, files 0600 (symbolic links are left alone, and so
 * is anything else an operator put there, beyond the directory's own 0700). Run at start, before
 * the database opens and again once every file of the start exists, so an install made by an
 * older version is tightened too.
 */
export function secureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE })
  chmodSync(dataDir, DATA_DIR_MODE)
  const walk = (path: string, isDir: boolean): void => {
    if (!isDir) {
      if ((lstatSync(path).mode & 0o777) !== DATA_FILE_MODE) chmodSync(path, DATA_FILE_MODE)
      return
    }
    chmodSync(path, DATA_DIR_MODE)
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory() || entry.isFile()) walk(join(path, entry.name), entry.isDirectory())
    }
  }
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (!OWN.test(entry.name)) continue
    if (entry.isDirectory() || entry.isFile()) walk(join(dataDir, entry.name), entry.isDirectory())
  }
}
