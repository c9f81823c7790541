import { describe, expect, it } from 'vitest'
import { nameRequests } from './useNodeNames'

describe('node names looked up for a page of alerts', () => {
  it('asks once for up to 100 ids, not once per id', () => {
    expect(nameRequests([])).toEqual([])
    expect(nameRequests(['node-a', 'node-b', 'n/c'])).toEqual([
      'api/nodes?ids=node-a,node-b,n%2Fc&limit=3',
    ])
    const many = Array.from({ length: 250 }, (_, i) => `node-${i}`)
    const paths = nameRequests(many)
    expect(paths).toHaveLength(3)
    expect(paths[2]).toBe(`api/nodes?ids=${many.slice(200).join(',')}&limit=50`)
  })
})
