// GETs started before anyone asks: on a fresh load the boot starts the first page's reads beside
// the session check (main.ts, `warmRoute`), so the page finds its answers on the way instead of
// asking after its chunk has loaded. Each answer is handed out once, only if it is a success and
// young enough; otherwise the caller asks the usual way (and sees the usual error handling).

/** A prefetched answer, read whole (the body as text). */
export interface Answer {
  status: number
  statusText: string
  text: string
}

/** How long a prefetched answer may wait for its page: after that the page asks again. */
export const PREFETCH_TTL_MS = 15_000

export interface PrefetchOptions {
  /** Fetches a path (the client's base prefixed), JSON accepted. */
  get: (path: string) => Promise<Response>
  now?: () => number
  ttlMs?: number
}

/** The prefetched GETs of one client. */
export function createPrefetch(opts: PrefetchOptions) {
  const now = opts.now ?? Date.now
  const ttl = opts.ttlMs ?? PREFETCH_TTL_MS
  const held = new Map<string, { at: number; answer: Promise<Answer | null> }>()

  return {
    /** Starts `GET path` now (unless already started); quiet: nothing but its taker sees it. */
    start(path: string): void {
      if (held.has(path)) return
      const answer = opts
        .get(path)
        .then(async (res) => ({
          status: res.status,
          statusText: res.statusText,
          text: await res.text(),
        }))
        .catch(() => null)
      held.set(path, { at: now(), answer })
    },
    /**
     * The successful answer to `GET path` if one was started and is young enough, else null
     * (ask the usual way). Handed out once.
     */
    async take(path: string): Promise<Answer | null> {
      const entry = held.get(path)
      if (!entry) return null
      held.delete(path)
      if (now() - entry.at > ttl) return null
      const answer = await entry.answer
      return answer && answer.status >= 200 && answer.status < 300 ? answer : null
    },
    /** Forgets every answer (the session changed: they were read as someone else). */
    clear(): void {
      held.clear()
    },
    /** How many answers are waiting (tests). */
    get size(): number {
      return held.size
    },
  }
}

/** A client's prefetched GETs. */
export type Prefetch = ReturnType<typeof createPrefetch>
