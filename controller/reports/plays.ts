/**
 * @module plays
 * GET /api/plays as people read it: one page of a date's play events, limited to the zones the
 * caller reaches, each with the segment's title (the item's own, else its recording's) and the
 * node's name. Titles come from the server, so every role that may see plays (technicians too,
 * who may not read running orders) reads titles, never ids (issue 11).
 */
import type { PlaysQuery } from '../ingest/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { LiveTitles } from './live-titles.js'
import type { ScheduledItem } from './report-day.js'

/** The local date a plan item id starts with (`2026-12-07/news`). */
const ITEM_DATE = /^(\d{4}-\d{2}-\d{2})\//

/** What a play's title is looked up in. */
export interface PlayTitleSources {
  /** The date's scheduled items (the published programme, else today's resolution). */
  scheduled: (date: string) => readonly Pick<ScheduledItem, 'itemId' | 'title' | 'audioId'>[]
  /** A recording's title in the library, or null when it is gone. */
  audioTitle: (audioId: string) => string | null
  /** Live sessions' titles (`live:<id>` items). */
  live: LiveTitles
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
  /** Titles plays (their own fields first); `date` of each play: the scheduled items to read. */
  function titled<P extends { itemId: string | null; audioId?: unknown }>(
    plays: readonly P[],
    dateOf: (p: P) => string | null,
  ) {
    const liveOf = deps.live.lookup()
    const byDate = new Map<string, Map<string, Pick<ScheduledItem, 'title' | 'audioId'>>>()
    const itemsOn = (date: string | null) => {
      if (date === null) return new Map()
      let items = byDate.get(date)
      if (!items) {
        items = new Map(deps.scheduled(date).map((i) => [i.itemId, i]))
        byDate.set(date, items)
      }
      return items
    }
    return plays.map((p) => {
      const live = liveOf(p.itemId)
      if (live) return { ...p, title: live.title, live: live.live }
      return { ...p, title: playTitle(itemsOn(dateOf(p)), deps.audioTitle, p) }
    })
  }

  return {
    /** A node's latest plays, newest first, with titles (GET /api/nodes/:id/plays). */
    recent(nodeId: string, limit: number) {
      return titled(
        repos.events.recentPlays(nodeId, limit),
        (p) => ITEM_DATE.exec(p.itemId ?? '')?.[1] ?? null,
      )
    },
    /** One page of a date's plays with titles and node names, and the count of all matches. */
    page(q: PlaysQuery) {
      const page = repos.events.playsPage(q)
      if (page.items.length === 0) return page
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
        items: titled(page.items, () => q.date).map((p) => ({
          ...p,
          nodeName: nodeName(p.nodeId),
        })),
      }
    },
  }
}

/** The plays service. */
export type Plays = ReturnType<typeof createPlays>
