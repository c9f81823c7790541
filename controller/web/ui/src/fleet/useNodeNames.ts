import { shallowReactive } from 'vue'
// From limits.js, not index.js: the alert banner is on every technician's page.
import { NODE_IDS_MAX } from '../../../../../contract/limits.js'
import type { ApiClient } from '../api/client'
import type { Node, NodesPage } from './types'

/** Most names one page looks up (beyond them the id is shown). */
const MAX_LOOKUPS = 300

/**
 * The requests that look up `ids`: `api/nodes?ids=…`, at most NODE_IDS_MAX ids each (one for a
 * page of alerts), each a page as long as its list.
 */
export function nameRequests(ids: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < ids.length; i += NODE_IDS_MAX) {
    const part = ids.slice(i, i + NODE_IDS_MAX)
    const list = part.map(encodeURIComponent).join(',')
    out.push(`api/nodes?ids=${list}&limit=${part.length}`)
  }
  return out
}

/**
 * Names of nodes the page mentions by id (alerts, incidents) without holding the fleet: the ids
 * a render asks for are looked up together once it is done (`GET api/nodes?ids=`), each id once,
 * the id shown meanwhile.
 */
export function useNodeNames(api: ApiClient) {
  const names = shallowReactive(new Map<string, string>())
  const asked = new Set<string>()
  let pending: string[] = []
  const flush = () => {
    const ids = pending
    pending = []
    for (const path of nameRequests(ids)) {
      api.get<NodesPage>(path, { quiet: true }).then(
        (page) => {
          for (const n of page.items) names.set(n.id, n.name)
        },
        () => undefined,
      )
    }
  }
  return {
    name(id: string): string {
      const known = names.get(id)
      if (known !== undefined) return known
      if (!asked.has(id) && asked.size < MAX_LOOKUPS) {
        asked.add(id)
        if (pending.length === 0) queueMicrotask(flush)
        pending.push(id)
      }
      return id
    },
    /** Names already at hand (a live node update). */
    learn(list: readonly Pick<Node, 'id' | 'name'>[]): void {
      for (const n of list) if (names.has(n.id) || asked.has(n.id)) names.set(n.id, n.name)
    },
  }
}
