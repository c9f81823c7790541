/**
 * @module played-log
 * Item ids with an instant, kept in a JSON file across restarts. The agent keeps two:
 * `<dataDir>/announcements-played.json`, announcements and segments played to their end (so an
 * agent restarted within an announcement's late-start window does not say it again, and a played
 * segment is never made good), and `<dataDir>/segments-missed.json`, segments whose miss was
 * reported (so it is reported once; see make-good-player.ts).
 */
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Logger } from 'pino'
import { readJsonFile } from './atomic-file.js'
import { durableWriteFile, type WriteFile } from './file-writer.js'

/** Entries older than this are forgotten (well past any announcement window). */
const KEEP_MS = 2 * 86_400_000

/** Item ids of played announcements, with when they were played. */
export interface PlayedLog {
  /** Reads the file; an unreadable one is logged and treated as empty. */
  load(): Promise<void>
  has(itemId: string): boolean
  /** Records a played announcement and writes the file (errors are logged). */
  add(itemId: string, at: number): void
  /** Waits for pending writes. */
  flush(): Promise<void>
}

/** Creates the log stored at `path`. */
export function createPlayedLog(
  path: string,
  log: Logger,
  write: WriteFile = durableWriteFile,
): PlayedLog {
  const played = new Map<string, number>()
  let writing: Promise<void> = Promise.resolve()

  return {
    async load() {
      try {
        const raw = (await readJsonFile(path)) as Record<string, number> | undefined
        for (const [id, at] of Object.entries(raw ?? {})) {
          if (typeof at === 'number') played.set(id, at)
        }
      } catch (err) {
        log.error({ err, path }, 'cannot read the played announcements; starting empty')
      }
    },
    has: (itemId) => played.has(itemId),
    add(itemId, at) {
      played.set(itemId, at)
      for (const [id, when] of played) if (when < at - KEEP_MS) played.delete(id)
      const data = JSON.stringify(Object.fromEntries(played))
      writing = writing
        .then(async () => {
          await mkdir(dirname(path), { recursive: true })
          await write(path, data)
        })
        .catch((err: unknown) => log.error({ err, path }, 'cannot record a played announcement'))
    },
    flush: () => writing,
  }
}
