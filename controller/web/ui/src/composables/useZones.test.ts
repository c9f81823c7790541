import { describe, expect, it } from 'vitest'
import { zoneTree } from './useZones'

describe('zoneTree', () => {
  it('nests zones under their parents and disables the ancestors of a zone-limited user', () => {
    const tree = zoneTree([
      { id: 'd', name: '城北区', parentId: null, code: null, ancestor: true },
      { id: 't', name: '二十里铺镇', parentId: 'd', code: null },
      { id: 'v', name: '宋家寨村', parentId: 't', code: null },
    ])
    expect(tree).toEqual([
      {
        value: 'd',
        label: '城北区',
        disabled: true,
        children: [
          {
            value: 't',
            label: '二十里铺镇',
            children: [{ value: 'v', label: '宋家寨村', children: [] }],
          },
        ],
      },
    ])
  })
})
