import { describe, expect, it } from 'vitest'
import { startController } from '../helpers/controller.js'
import { connectError } from '../helpers/mqtt.js'

describe('rotate', () => {
  it("revokes the node's unused enrollment token: the old bundle buys nothing and the rotated node stays in", async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones', { name: '西海路社区' })
    const reg = await ctl.api<{ id: string; bundle: { enrollmentToken: string } }>(
      'POST',
      '/api/nodes',
      { name: 'rotate me', zone: '西海路社区' },
    )
    expect(reg.status).toBe(201)
    const { id } = reg.body
    const rotated = await ctl.api<{ secret: string }>('POST', `/api/nodes/${id}/rotate`)
    expect(rotated.status).toBe(200)

    const stolen = await ctl.apiWith<{ code: string; secret?: string }>({}, 'POST', '/api/enroll', {
      nodeId: id,
      token: reg.body.bundle.enrollmentToken,
    })
    expect(stolen.status).toBeGreaterThanOrEqual(400)
    expect(stolen.status).toBeLessThan(500)
    expect(stolen.body.secret).toBeUndefined()
    // The real node, holding the rotated secret, is not locked out.
    const err = await connectError(ctl.brokerUrl, {
      clientId: id,
      username: id,
      password: rotated.body.secret,
      protocolVersion: 4,
    })
    expect(err).toBeNull()
  })
})
