import { describe, expect, it } from 'vitest'
import { tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { twoTowns } from '../helpers/zones.js'

interface NodesPage {
  items: { id: string; name: string }[]
  total: number
}

describe('GET /api/nodes?ids=', () => {
  it('answers the named nodes in one page, within the caller zones, and refuses a bad list', async () => {
    const ctl = await startController()
    const { townA, a, b } = await twoTowns(ctl)
    const c = await ctl.register('宋家寨 2', townA)
    const names = (page: NodesPage) => page.items.map((n) => [n.id, n.name])

    const both = await ctl.api<NodesPage>('GET', `/api/nodes?ids=${a.id},${b.id},${a.id},nope`)
    expect(both.status).toBe(200)
    expect(names(both.body).sort()).toEqual(
      [
        [a.id, '宋家寨 1'],
        [b.id, '严小村 1'],
      ].sort(),
    )
    expect(both.body.total).toBe(2)

    // A user limited to town A: only its nodes among those named.
    const techA = await tokenHeaders(ctl, ['technician'], [townA])
    const mine = await ctl.apiWith<NodesPage>(techA, 'GET', `/api/nodes?ids=${b.id},${c.id}`)
    expect(names(mine.body)).toEqual([[c.id, '宋家寨 2']])

    for (const bad of [
      '',
      `${a.id},,${b.id}`,
      Array.from({ length: 101 }, (_, i) => i).join(','),
    ]) {
      const r = await ctl.api<{ code: string }>('GET', `/api/nodes?ids=${bad}`)
      expect([bad.slice(0, 20), r.status]).toEqual([bad.slice(0, 20), 400])
    }
  })
})
