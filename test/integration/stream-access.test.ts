import { describe, expect, it } from 'vitest'
import { createUser, loginCookie, tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'

/** Opens GET /api/stream; `ended` resolves when the server closes it. */
async function openStream(ctl: TestController, headers: Record<string, string>) {
  const abort = new AbortController()
  const res = await fetch(`${ctl.url}/api/stream`, { headers, signal: abort.signal })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  let open = true
  let text = ''
  const decoder = new TextDecoder()
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        text += decoder.decode(value, { stream: true })
      }
    } catch {
      // aborted by the test's cleanup
    }
    open = false
  })()
  return { ended, isOpen: () => open, text: () => text, close: () => abort.abort() }
}

const PW = 'stream-Pw-4k8q'

async function technician(ctl: TestController, username: string) {
  const id = await createUser(ctl, { username, password: PW, roles: ['technician'] })
  return { id, session: await loginCookie(ctl, username, PW) }
}

describe('a live stream ends with the access it was opened with', () => {
  it('ends when the user is disabled, logs out, or has their roles changed; others stay open', async () => {
    const ctl = await startController()
    const a = await technician(ctl, 'tech-a')
    const b = await technician(ctl, 'tech-b')
    const c = await technician(ctl, 'tech-c')
    const bystander = await technician(ctl, 'tech-d')
    const sa = await openStream(ctl, a.session.read)
    const sb = await openStream(ctl, b.session.read)
    const sc = await openStream(ctl, c.session.read)
    const sd = await openStream(ctl, bystander.session.read)

    expect((await ctl.api('PATCH', `/api/users/${a.id}`, { disabled: true })).status).toBe(200)
    await sa.ended
    expect((await ctl.apiWith(b.session.write, 'POST', '/api/auth/logout')).status).toBe(204)
    await sb.ended
    expect((await ctl.api('PATCH', `/api/users/${c.id}`, { roles: ['installer'] })).status).toBe(
      200,
    )
    await sc.ended
    expect(sd.isOpen()).toBe(true)
    // The disabled user's cookie opens no new stream.
    const again = await fetch(`${ctl.url}/api/stream`, { headers: a.session.read })
    expect(again.status).toBe(401)
    sd.close()
  })

  it('ends when the API token it was opened with is revoked', async () => {
    const ctl = await startController()
    const t = await ctl.api<{ id: string; token: string }>('POST', '/api/tokens', {
      name: 'wallboard',
      roles: ['technician'],
    })
    const s = await openStream(ctl, { authorization: `Bearer ${t.body.token}` })
    expect((await ctl.api('DELETE', `/api/tokens/${t.body.id}`)).status).toBe(204)
    await s.ended
  })

  it('carries only the nodes of its zones to a zone-limited user', async () => {
    const ctl = await startController()
    const zone = async (name: string, parentId?: string) =>
      (await ctl.api<{ id: string }>('POST', '/api/zones', { name, parentId })).body.id
    const root = await zone('城北区')
    const townA = await zone('二十里铺镇', root)
    const villageA = await zone('宋家寨村', townA)
    const villageB = await zone('严小村', await zone('大堡子镇', root))
    const limited = await openStream(ctl, await tokenHeaders(ctl, ['technician'], [townA]))
    const whole = await openStream(ctl, await tokenHeaders(ctl, ['technician']))
    const b = await ctl.register('严小村 1', villageB)
    const a = await ctl.register('宋家寨 1', villageA)
    await waitFor(async () => limited.text().includes(a.id), 'own node on the limited stream')
    await waitFor(async () => whole.text().includes(b.id), 'other node on the whole stream')
    expect(limited.text()).not.toContain(b.id)
    limited.close()
    whole.close()
  })
})
