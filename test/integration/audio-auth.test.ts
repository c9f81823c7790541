import { describe, expect, it } from 'vitest'
import { makeTone } from '../helpers/audio.js'
import { nodeBasic, tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'

describe('GET /api/audio/files/:sha256', () => {
  it("needs a node's credentials or a user's role; never serves anyone else", async () => {
    const ctl = await startController()
    const audio = await ctl.upload(await makeTone(tmpDir(), 'news', 1, 440), '新闻')
    const other = await ctl.upload(await makeTone(tmpDir(), 'other', 1, 660), '别的')
    const node = await ctl.register('西海路 3')
    const path = `/api/audio/files/${audio.sha256}`
    const get = (headers: Record<string, string>, p = path) => fetch(`${ctl.url}${p}`, { headers })
    // The node's plan names `audio`, not `other`.
    const planOf = async () =>
      (await ctl.api<{ planVersion: string | null }>('GET', `/api/nodes/${node.id}`)).body
        .planVersion
    const before = await planOf()
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const put = await ctl.api('PUT', `/api/days/${tomorrow}`, {
      items: [{ start: '09:00:00', audioId: audio.id }],
    })
    expect(put.status).toBe(200)
    await waitFor(async () => (await planOf()) !== before, 'plan with the news')

    const anonymous = await get({})
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' })

    const asNode = await get(nodeBasic(node))
    expect(asNode.status).toBe(200)
    expect(asNode.headers.get('content-type')).toMatch(/audio\/mpeg/)
    expect(asNode.headers.get('cache-control')).toMatch(/^private/)
    expect((await asNode.arrayBuffer()).byteLength).toBeGreaterThan(1000)
    // A recording in none of its plans is, for the node, not there; users still get it.
    const unplanned = await get(nodeBasic(node), `/api/audio/files/${other.sha256}`)
    expect(unplanned.status).toBe(404)
    await unplanned.arrayBuffer()
    const sched = await tokenHeaders(ctl, ['scheduler'])
    expect((await get(sched, `/api/audio/files/${other.sha256}`)).status).toBe(200)

    expect((await get(nodeBasic({ id: node.id, secret: 'wrong' }))).status).toBe(401)
    expect((await get(nodeBasic({ id: 'node-ffffffffff', secret: node.secret }))).status).toBe(401)
    expect((await get(await tokenHeaders(ctl, ['scheduler']))).status).toBe(200)
    expect((await get(await tokenHeaders(ctl, ['technician']))).status).toBe(200)
    expect((await get(await tokenHeaders(ctl, ['installer']))).status).toBe(403)
    // A node's credentials open nothing else.
    expect((await ctl.apiWith(nodeBasic(node), 'GET', '/api/audio')).status).toBe(403)
    expect((await ctl.apiWith(nodeBasic(node), 'GET', '/api/nodes')).status).toBe(403)

    // Retired: its credentials stop working for downloads too.
    await ctl.api('POST', `/api/nodes/${node.id}/retire`)
    expect((await get(nodeBasic(node))).status).toBe(401)
  })
})
