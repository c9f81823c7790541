/** A parsed hash route: `#/plays?date=2026-11-27` → path `/plays`, params `date`. */
export interface Route {
  path: string
  params: URLSearchParams
}

/** Parses `location.hash`; an empty hash is the default path. */
export function parseHash(hash: string, fallback: string): Route {
  const raw = hash.replace(/^#/, '')
  const q = raw.indexOf('?')
  const path = (q === -1 ? raw : raw.slice(0, q)) || fallback
  return { path, params: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)) }
}

/** The hash for a path and params, dropping empty params. */
export function hrefOf(path: string, params: Record<string, string> = {}): string {
  const search = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v)
  const qs = search.toString()
  return `#${path}${qs ? `?${qs}` : ''}`
}

/**
 * A tiny hash router: `#/nodes`, `#/plays?date=…`. A view keeps its filters in the params with
 * `replaceParams`, which does not add a history entry nor re-create the view.
 */
export function createRouter(opts: { fallback: string; onRoute: (route: Route) => void }) {
  const current = () => parseHash(location.hash, opts.fallback)
  const onHashChange = () => opts.onRoute(current())
  return {
    current,
    start(): void {
      window.addEventListener('hashchange', onHashChange)
      opts.onRoute(current())
    },
    /** Stops following the address (the session ended). */
    stop(): void {
      window.removeEventListener('hashchange', onHashChange)
    },
    replaceParams(params: Record<string, string>): void {
      history.replaceState(history.state, '', hrefOf(current().path, params))
    },
  }
}

/** The router. */
export type Router = ReturnType<typeof createRouter>
