import type { Db } from '../database.js'
import { createAudioRepository } from './audio-repository.js'
import { createDaysRepository } from './days-repository.js'
import { createEventsRepository } from './events-repository.js'
import { createNodesRepository } from './nodes-repository.js'
import { createPlansRepository } from './plans-repository.js'
import { createZonesRepository } from './zones-repository.js'

/** Creates every repository over one database handle. */
export function createRepositories(db: Db) {
  return {
    zones: createZonesRepository(db),
    nodes: createNodesRepository(db),
    audio: createAudioRepository(db),
    days: createDaysRepository(db),
    plans: createPlansRepository(db),
    events: createEventsRepository(db),
  }
}

/** All repositories. */
export type Repositories = ReturnType<typeof createRepositories>
