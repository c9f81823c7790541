import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeTone } from '../helpers/audio.js'
import { createUser, loginCookie } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'

describe('who uploaded or sent something', () => {
  it('is the logged-in user; a free-text "uploadedBy" or "createdBy" is refused', async () => {
    const ctl = await startController()
    await createUser(ctl, { username: 'zhou', password: 'author-Pw-3e4r', roles: ['scheduler'] })
    const s = await loginCookie(ctl, 'zhou', 'author-Pw-3e4r')
    const tone = await readFile(await makeTone(tmpDir(), 'news', 1))
    const post = (fields: Record<string, string>) => {
      const form = new FormData()
      form.append('file', new Blob([tone]), 'news.wav')
      for (const [k, v] of Object.entries(fields)) form.append(k, v)
      return fetch(`${ctl.url}/api/audio`, { method: 'POST', body: form, headers: s.write })
    }
    const forged = await post({ uploadedBy: '区长' })
    expect(forged.status).toBe(400)
    expect(((await forged.json()) as { message: string }).message).toMatch(/uploadedBy/)
    expect(await readdir(join(ctl.dataDir, 'tmp'))).toEqual([])
    expect((await ctl.api<unknown[]>('GET', '/api/audio')).body).toEqual([])

    const ok = await post({ title: '新闻' })
    expect(ok.status).toBe(201)
    const audio = (await ok.json()) as { id: string; uploadedBy: string }
    expect(audio.uploadedBy).toBe('zhou')

    const send = (body: Record<string, unknown>) =>
      ctl.apiWith<{ createdBy: string | null }>(s.write, 'POST', '/api/announcements', body)
    const at = new Date(Date.now() + 3_600_000).toISOString()
    const base = { audioId: audio.id, priority: 'urgent', at }
    expect((await send({ ...base, createdBy: '区长' })).status).toBe(400)
    const sent = await send(base)
    expect(sent.status).toBe(201)
    expect(sent.body.createdBy).toBe('zhou')
  })
})
