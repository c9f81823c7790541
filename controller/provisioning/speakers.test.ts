import { describe, expect, it } from 'vitest'
import { serviceFixture } from '../testing/service-fixture.js'
import { createSpeakers } from './speakers.js'

describe('speakers: a duplicate name in a zone', () => {
  it('is warned about by one keyed lookup, never a walk of the whole fleet', () => {
    const f = serviceFixture()
    const a = f.addNode('宋家寨 1', '宋家寨村')
    const b = f.addNode('宋家寨 2', '宋家寨村')
    const c = f.addNode('严小村 1', '严小村')
    const speakers = createSpeakers({
      // The real repository, but listing every node fails the test: an edit must not need it.
      nodes: {
        ...f.repos.nodes,
        list: () => {
          throw new Error('nameWarnings listed every node')
        },
      },
      zones: f.repos.zones,
      bus: f.bus,
      log: f.log,
      register: () => {
        throw new Error('not used')
      },
      onZoneChanged: () => {},
    })
    expect(speakers.edit(b, { name: '宋家寨 1' }).warnings).toEqual([
      { code: 'DUPLICATE_NAME', message: `${a} in the same zone is also named 宋家寨 1` },
    ])
    // Any edit of either says so; another zone's namesake or a retired one is no duplicate.
    expect(speakers.edit(a, { notes: '村委会屋顶' }).warnings).toEqual([
      { code: 'DUPLICATE_NAME', message: `${b} in the same zone is also named 宋家寨 1` },
    ])
    expect(speakers.edit(c, { name: '宋家寨 1' }).warnings).toEqual([])
    f.provisioning.retireNode(b)
    expect(speakers.edit(a, { name: '宋家寨 1' }).warnings).toEqual([])
  })
})
