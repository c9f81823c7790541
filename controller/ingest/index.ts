/** The ingest module's public face: what other modules may import from it. */
export type { StartRow } from './repositories/events-repository.js'
