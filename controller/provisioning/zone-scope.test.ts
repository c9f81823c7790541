import { describe, expect, it } from 'vitest'
import { zonesWithin } from './zone-scope.js'
import type { ZoneView } from './zones.js'

const zone = (id: string, parentId: string | null, depth: number): ZoneView => ({
  id,
  name: id,
  parentId,
  code: null,
  depth,
  nodeCount: 1,
  totalNodes: 1,
})

// district › townA › villageA, district › townB › villageB
const tree = [
  zone('district', null, 0),
  zone('townA', 'district', 1),
  zone('villageA', 'townA', 2),
  zone('townB', 'district', 1),
  zone('villageB', 'townB', 2),
]
const under = (top: string) => (id: string) =>
  id === top || tree.find((z) => z.id === id)?.parentId === top

describe('zonesWithin', () => {
  it('gives the subtree in full and its ancestors bare, nothing of sibling towns', () => {
    expect(zonesWithin(tree, under('townA'))).toEqual([
      { id: 'district', name: 'district', parentId: null, code: null, depth: 0, ancestor: true },
      tree[1],
      tree[2],
    ])
  })

  it('gives every zone as it is to a caller reaching them all', () => {
    expect(zonesWithin(tree, () => true)).toEqual(tree)
  })

  it('gives nothing when the caller reaches no zone', () => {
    expect(zonesWithin(tree, () => false)).toEqual([])
  })
})
