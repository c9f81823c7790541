/**
 * @module live-titles
 * Live plays in proof of play (issue 13): a node that sounded a live session reports plays of
 * the item `live:<sessionId>`, which no running order names. Their title comes from the session's
 * record: "喊话 · <user> · 10:32" for an officer's voice, "转播 · <host of the URL>" for a relay;
 * the facts behind it (`live`) let the web UI word it in the reader's language.
 */
import type { ZonedTime } from '../../schedules/index.js'
import type { SharedRepositories } from '../repositories.js'

/** The item id prefix of a live session's plays (speaker-agent/live.ts). */
export const LIVE_ITEM_PREFIX = 'live:'

/** What a live play's title is made of. */
export interface LivePlay {
  kind: 'voice' | 'relay'
  sessionId: string
  /** Who spoke (the user's name); null for a relay opened by the running order. */
  by: string | null
  /** When the session went on air (ISO). */
  openedAt: string
  /** A relay's source host (`county.example:8000`); null for voice. */
  host: string | null
}

/** A title and its facts. */
export interface LiveTitle {
  title: string
  live: LivePlay
}

/** The Chinese title of a live play (the API's; the web UI words `live` itself). */
export function livePlayTitle(p: LivePlay, localTime: string): string {
  if (p.kind === 'relay') return ['转播', p.host].filter(Boolean).join(' · ')
  return ['喊话', p.by, localTime.slice(0, 5)].filter(Boolean).join(' · ')
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host || null
  } catch {
    return null
  }
}

/**
 * Looks live titles up in the record of live sessions. Each call of `lookup()` gives a function
 * that remembers what it read (one page or report reads a session once).
 */
export function createLiveTitles(deps: {
  repos: Pick<SharedRepositories, 'live' | 'users'>
  zone: Pick<ZonedTime, 'toLocalTime'>
}) {
  const { repos } = deps
  function read(sessionId: string): LiveTitle | null {
    const r = repos.live.get(sessionId)
    if (!r) return null
    const scheduled = r.createdBy.startsWith('schedule:')
    const live: LivePlay = {
      kind: r.kind,
      sessionId,
      by: scheduled ? null : (repos.users.get(r.createdBy)?.username ?? r.createdBy),
      openedAt: r.openedAt,
      host: r.kind === 'relay' ? hostOf(r.source) : null,
    }
    return { title: livePlayTitle(live, deps.zone.toLocalTime(Date.parse(r.openedAt))), live }
  }
  return {
    lookup() {
      const seen = new Map<string, LiveTitle | null>()
      return (itemId: string | null | undefined): LiveTitle | null => {
        if (!itemId?.startsWith(LIVE_ITEM_PREFIX)) return null
        const id = itemId.slice(LIVE_ITEM_PREFIX.length)
        let t = seen.get(id)
        if (t === undefined) {
          t = read(id)
          seen.set(id, t)
        }
        return t
      }
    },
  }
}

/** The live titles lookup. */
export type LiveTitles = ReturnType<typeof createLiveTitles>
