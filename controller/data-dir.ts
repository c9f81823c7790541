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

/**
 * Creates the data directory if needed and makes it and everything in it private to the
 * controller's user: directories 0700, files 0600 (symbolic links are left alone). Run at start,
 * before the database opens and again once every file of the start exists, so an install made
 * by an older version is tightened too.
 */
export function secureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE })
  const walk = (dir: string): void => {
    chmodSync(dir, DATA_DIR_MODE)
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile() && (lstatSync(path).mode & 0o777) !== DATA_FILE_MODE) {
        chmodSync(path, DATA_FILE_MODE)
      }
    }
  }
  walk(dataDir)
}
