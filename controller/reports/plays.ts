/**
 * @module plays
 * GET /api/plays as people read it: one page of a date's play events, limited to the zones the
 * caller reaches, each with the segment's title (the item's own, else its recording's) and the
 * node's name. Titles come from the server, so every role that may see plays (technicians too,
 * who may not read running orders) reads titles, never ids (issue 11).
 */
import type { PlaysQuery } from '../ingest/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { ScheduledItem } from './report-day.js'

/** What a play's title is looked up in. */
export interface PlayTitleSources {
  /** The date's scheduled items (the published programme, else today's resolution). */
  scheduled: (date: string) => readonly Pick<ScheduledItem, 'itemId' | 'title' | 'audioId'>[]
  /** A recording's title in the library, or null when it is gone. */
  audioTitle: (audioId: string) => string | null
}

/**
 * The title of a play of `itemId`: the scheduled item's (which already falls back to its
 * recording's), else the recording the event names, else '' (an item and recording both gone).
 */
export function playTitle(
  items: ReadonlyMap<string, Pick<ScheduledItem, 'title' | 'audioId'>>,
  audioTitle: (audioId: string) => string | null,
  play: { itemId: string | null; audioId?: unknown },
): string {
  const item = play.itemId === null ? undefined : items.get(play.itemId)
  if (item?.title) return item.title
  const audioId = typeof play.audioId === 'string' ? play.audioId : item?.audioId
  return (audioId && audioTitle(audioId)) || ''
}

/** The plays service (used by the reports service, which owns the date's programme). */
export function createPlays(
  deps: { repos: Pick<SharedRepositories, 'events' | 'nodes'> } & PlayTitleSources,
) {
  const { repos } = deps
  return {
    /** One page of a date's plays with titles and node names, and the count of all matches. */
    page(q: PlaysQuery) {
      const page = repos.events.playsPage(q)
      if (page.items.length === 0) return page
      const items = new Map(deps.scheduled(q.date).map((i) => [i.itemId, i]))
      const names = new Map<string, string>()
      const nodeName = (id: string): string => {
        let name = names.get(id)
        if (name === undefined) {
          name = repos.nodes.get(id)?.name ?? id
          names.set(id, name)
        }
        return name
      }
      return {
        total: page.total,
        items: page.items.map((p) => ({
          ...p,
          title: playTitle(items, deps.audioTitle, p),
          nodeName: nodeName(p.nodeId),
        })),
      }
    },
  }
}

/** The plays service. */
export type Plays = ReturnType<typeof createPlays>
