import type { Clock } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'

/** Which stored recordings may be fetched, and by which node (its current or recent plans). */
export function createFileAccess(deps: {
  repos: Pick<SharedRepositories, 'audio' | 'plans'>
  clock: Clock
}) {
  const { audio, plans } = deps.repos
  return {
    /** Whether a recording with this content hash is stored. */
    exists: (sha256: string): boolean => audio.getBySha256(sha256) !== null,
    /** Whether a node's current or recent plans name this recording. */
    plannedFor: (nodeId: string, sha256: string): boolean =>
      plans.planned(nodeId, sha256, deps.clock.now()),
  }
}

/** Access to stored recordings. */
export type FileAccess = ReturnType<typeof createFileAccess>
