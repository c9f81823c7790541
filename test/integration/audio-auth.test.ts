import { describe, expect, it } from 'vitest'
import { makeTone } from '../helpers/audio.js'
import { nodeBasic, tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'

describe('GET /api/audio/files/:sha256', () => {
  it("needs a node's credentials or a user's role; never serves anyone else", async () => {
    const ctl = await startController()
    const audio = await ctl.upload(await makeTone(tmpDir(), 'news', 1, 440), '新闻')
    const node = await ctl.register('西海路 3')
    const path = `/api/audio/files/${audio.sha256}`
    const get = (headers: Record<string, string>) => fetch(`${ctl.url}${path}`, { headers })

    const anonymous = await get({})
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' })

    const asNode = await get(nodeBasic(node))
    expect(asNode.status).toBe(200)
    expect(asNode.headers.get('content-type')).toMatch(/audio\/mpeg/)
    expect(asNode.headers.get('cache-control')).toMatch(/^private/)
    expect((await asNode.arrayBuffer()).byteLength).toBeGreaterThan(1000)

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
