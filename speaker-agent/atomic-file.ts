import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Prefix of temporary files written by writeFileAtomic; readers of a directory skip them. */
export const TEMP_PREFIX = '.tmp-'

/**
 * Writes `data` to `path` so that a reader (or a crash) sees the old file or the new one, never a
 * mix: write a temporary file in the same directory, fsync it, rename it over `path`, then fsync
 * the directory (best effort: some file systems refuse to open directories). `sync: false` skips
 * both fsyncs (still atomic for readers, not durable across a power loss): the fleet simulator's
 * shared writer only (file-writer.ts), never a real node.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
  sync = true,
): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}-${randomBytes(6).toString('hex')}`)
  const handle = await open(temp, 'w', mode)
  try {
    await handle.writeFile(data)
    if (sync) await handle.sync()
  } catch (err) {
    await handle.close()
    await rm(temp, { force: true })
    throw err
  }
  await handle.close()
  try {
    await rename(temp, path)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  if (sync) await fsyncDir(dir)
}

/** Flushes a directory entry change (rename, unlink) to disk; ignores platforms that refuse. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Best effort: fsync on a directory is not supported everywhere (EISDIR, EPERM, EINVAL).
  }
}

/** Parsed JSON of `path`, or undefined when the file does not exist; throws on invalid JSON. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  return JSON.parse(text) as unknown
}
