import { shallowReactive } from 'vue'
import type { ApiClient } from '../api/client'
import type { Node } from './types'

/** Most names one page looks up (beyond them the id is shown). */
const MAX_LOOKUPS = 300

/**
 * Names of nodes the page mentions by id (alerts, incidents) without holding the fleet: each
 * unknown id is looked up once (`GET api/nodes/:id`), the id shown meanwhile.
 */
export function useNodeNames(api: ApiClient) {
  const names = shallowReactive(new Map<string, string>())
  const asked = new Set<string>()
  return {
    name(id: string): string {
      const known = names.get(id)
      if (known !== undefined) return known
      if (!asked.has(id) && asked.size < MAX_LOOKUPS) {
        asked.add(id)
        api.get<Node>(`api/nodes/${encodeURIComponent(id)}`, { quiet: true }).then(
          (n) => names.set(id, n.name),
          () => undefined,
        )
      }
      return id
    },
    /** Names already at hand (a live node update). */
    learn(list: readonly Pick<Node, 'id' | 'name'>[]): void {
      for (const n of list) if (names.has(n.id) || asked.has(n.id)) names.set(n.id, n.name)
    },
  }
}
