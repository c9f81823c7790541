import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { readJsonFile } from './atomic-file.js'
import { durableWriteFile, type WriteFile } from './file-writer.js'

/** Small node state that survives a restart (`<dataDir>/state.json`). */
export interface NodeState {
  /** Output volume 0..100 set by a setVolume command. */
  volume: number
}

/** Reads and writes `<dataDir>/state.json`. */
export interface StateStore {
  /** Stored state merged over `defaults`; an unreadable file is logged and ignored. */
  load(defaults: NodeState): Promise<NodeState>
  /** Writes the state atomically. */
  save(state: NodeState): Promise<void>
}

/** State store in `dataDir`. */
export function createStateStore(
  dataDir: string,
  log: Logger,
  write: WriteFile = durableWriteFile,
): StateStore {
  const path = join(dataDir, 'state.json')
  return {
    async load(defaults) {
      try {
        const raw = (await readJsonFile(path)) as Partial<NodeState> | undefined
        const volume = raw?.volume
        if (Number.isInteger(volume) && (volume as number) >= 0 && (volume as number) <= 100) {
          return { ...defaults, volume: volume as number }
        }
      } catch (err) {
        log.error({ err, path }, 'cannot read node state; using defaults')
      }
      return { ...defaults }
    },
    async save(state) {
      await mkdir(dataDir, { recursive: true })
      await write(path, JSON.stringify(state))
    },
  }
}
