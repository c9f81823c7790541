import { mkdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { PayloadDecoder, PlanMessage } from '../protocol/index.js'
import type { Clock } from './clock.js'
import { durableWriteFile, type WriteFile } from './file-writer.js'

/** Keeps the node's current plan on disk so that it plays without the broker (offline-first). */
export interface PlanStore {
  /** The stored plan, or null when none is stored or the file was corrupt (moved aside). */
  load(): Promise<PlanMessage | null>
  /** Moves the stored plan aside as `plan.json.refused-<ms>` (it failed verification). */
  discard(): Promise<void>
  /** Replaces the stored plan atomically. */
  save(plan: PlanMessage): Promise<void>
}

/** Dependencies of createPlanStore. */
export interface PlanStoreDeps {
  dataDir: string
  decoder: PayloadDecoder
  clock: Clock
  log: Logger
  /** Default: durable (fsynced) writes; the fleet simulator shares one writer. */
  writeFile?: WriteFile
}

/** Plan store at `<dataDir>/plan.json`; a corrupt file becomes `plan.json.corrupt-<ms>`. */
export function createPlanStore({
  dataDir,
  decoder,
  clock,
  log,
  writeFile,
}: PlanStoreDeps): PlanStore {
  const path = join(dataDir, 'plan.json')
  const write = writeFile ?? durableWriteFile

  return {
    async load() {
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        log.error({ err, path }, 'cannot read stored plan')
        return null
      }
      const decoded = decoder.decode('plan', text)
      if (decoded.ok) return decoded.value
      const aside = `${path}.corrupt-${clock.now()}`
      log.error({ path, aside, errors: decoded.errors }, 'stored plan is corrupt; moved aside')
      try {
        await rename(path, aside)
      } catch (err) {
        log.error({ err, path }, 'cannot move corrupt plan aside')
      }
      return null
    },
    async discard() {
      const aside = `${path}.refused-${clock.now()}`
      try {
        await rename(path, aside)
        log.error({ path, aside }, 'stored plan refused; moved aside')
      } catch (err) {
        log.error({ err, path }, 'cannot move the refused plan aside; removing it')
        await rm(path, { force: true })
      }
    },
    async save(plan) {
      await mkdir(dataDir, { recursive: true })
      await write(path, JSON.stringify(plan))
    },
  }
}
