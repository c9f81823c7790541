import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateSilence, runFfmpeg } from '../../audio/index.js'
import { ffmpegPath, makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { type Audio, horizon, planOf, uploadTone, uploadWith } from './programme-fixtures.js'

interface Column {
  id: string
  name: string
  colour: string
  defaultPriority: number
}

describe('/api/columns', () => {
  it('creates, lists, edits and deletes columns; a duplicate name is refused', async () => {
    const ctl = await startController()
    const created = await ctl.api<Column>('POST', '/api/columns', {
      name: '新闻',
      colour: '#C0392B',
      defaultPriority: 40,
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: '新闻', colour: '#c0392b', defaultPriority: 40 })
    const dup = await ctl.api<{ code: string }>('POST', '/api/columns', {
      name: '新闻',
      colour: '#000000',
    })
    expect([dup.status, dup.body.code]).toEqual([422, 'COLUMN_INVALID'])
    const bad = await ctl.api('POST', '/api/columns', { name: 'x', colour: 'red' })
    expect(bad.status).toBe(400)
    const patched = await ctl.api<Column>('PATCH', `/api/columns/${created.body.id}`, {
      name: '要闻',
    })
    expect(patched.body).toMatchObject({ name: '要闻', defaultPriority: 40 })
    expect((await ctl.api<Column[]>('GET', '/api/columns')).body).toHaveLength(1)
    expect((await ctl.api('DELETE', `/api/columns/${created.body.id}`)).status).toBe(204)
    expect((await ctl.api('GET', `/api/columns/${created.body.id}`)).status).toBe(404)
  })

  it("gives segments the column's default priority, and refuses to delete a column in use", async () => {
    const ctl = await startController()
    const news = await uploadTone(ctl, 'news', 1)
    const col = (
      await ctl.api<Column>('POST', '/api/columns', {
        name: '安全',
        colour: '#2e86c1',
        defaultPriority: 30,
      })
    ).body
    const node = await ctl.register('n1')
    await ctl.api('PUT', '/api/templates/working', {
      items: [{ start: '09:00:00', audioId: news.id, columnId: col.id }],
    })
    await ctl.api('PUT', '/api/templates/rest', {
      items: [{ start: '09:00:00', audioId: news.id, columnId: col.id }],
    })
    expect(new Set((await planOf(ctl, node.id)).items.map((i) => i.priority))).toEqual(
      new Set([30]),
    )
    await ctl.api('PATCH', `/api/columns/${col.id}`, { defaultPriority: 55 })
    expect(new Set((await planOf(ctl, node.id)).items.map((i) => i.priority))).toEqual(
      new Set([55]),
    )
    const del = await ctl.api<{ code: string; message: string; details: { templates: string[] } }>(
      'DELETE',
      `/api/columns/${col.id}`,
    )
    expect(del.status).toBe(409)
    expect(del.body.code).toBe('COLUMN_IN_USE')
    expect(del.body.details.templates).toEqual(['working', 'rest'])
  })
})

describe('/api/audio: metadata, search, edit, delete', () => {
  it('stores column and uploader, searches and filters, and edits title and column', async () => {
    const ctl = await startController()
    const col = (await ctl.api<Column>('POST', '/api/columns', { name: '天气', colour: '#27ae60' }))
      .body
    const weather = await uploadTone(ctl, '天气预报', 1, 440, { column: col.id })
    // The uploader is whoever is logged in (here the admin's token), never free text.
    expect(weather).toMatchObject({ columnId: col.id, uploadedBy: 'admin', silent: false })
    await uploadTone(ctl, '政策解读', 1, 660)
    const list = async (q: string) =>
      (await ctl.api<Audio[]>('GET', `/api/audio${q}`)).body.map((a) => a.title)
    expect(await list('?q=天气')).toEqual(['天气预报'])
    expect(await list(`?column=${col.id}`)).toEqual(['天气预报'])
    expect(await list('?column=none')).toEqual(['政策解读'])
    expect(await list('?q=%25')).toEqual([]) // LIKE wildcards match literally
    const edited = await ctl.api<Audio>('PATCH', `/api/audio/${weather.id}`, {
      title: '明日天气',
      columnId: null,
    })
    expect(edited.body).toMatchObject({ title: '明日天气', columnId: null })
    const unknown = await ctl.api<{ code: string }>('PATCH', `/api/audio/${weather.id}`, {
      columnId: 'c-nope',
    })
    expect([unknown.status, unknown.body.code]).toEqual([422, 'COLUMN_INVALID'])
  })

  it('refuses to delete a recording the programme uses, naming where, and deletes it after', async () => {
    const ctl = await startController()
    const a = await uploadTone(ctl, '早间新闻', 1)
    const dates = await horizon(ctl)
    const future = dates[3]?.date as string
    const working = dates.filter((d) => d.type === 'working').map((d) => d.date)
    await ctl.api('PUT', '/api/templates/working', {
      items: [{ start: '07:00:00', audioId: a.id }],
    })
    await ctl.api('PUT', `/api/days/${future}`, {
      mode: 'add',
      items: [{ start: '08:00:00', audioId: a.id, title: 'x' }],
    })
    const refused = await ctl.api<{
      code: string
      message: string
      details: { templates: string[]; dates: string[] }
    }>('DELETE', `/api/audio/${a.id}`)
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('AUDIO_IN_USE')
    expect(refused.body.details.templates).toEqual(['working'])
    expect(refused.body.details.dates).toEqual(expect.arrayContaining([future, ...working]))
    expect(refused.body.message).toContain(future)
    expect(refused.body.message).toContain('working-day template')

    await ctl.api('PUT', '/api/templates/working', { items: [] })
    await ctl.api('DELETE', `/api/days/${future}`)
    expect((await ctl.api('DELETE', `/api/audio/${a.id}`)).status).toBe(204)
    expect((await ctl.api('GET', `/api/audio/${a.id}`)).status).toBe(404)
    expect(readdirSync(join(ctl.dataDir, 'audio'))).toEqual([])
  })
})

describe('POST /api/audio: bad uploads', () => {
  it('flags a silence-only recording as silent and lists it under ?silent=true', async () => {
    const ctl = await startController()
    const file = join(tmpDir(), 'quiet.wav')
    await generateSilence(ffmpegPath, file, { seconds: 2, format: 'wav' })
    const r = await uploadWith(ctl, file, { title: '静音' })
    expect(r.status).toBe(201)
    expect(r.body.silent).toBe(true)
    const silent = await ctl.api<Audio[]>('GET', '/api/audio?silent=true')
    expect(silent.body.map((a) => a.id)).toEqual([r.body.id])
    expect((await ctl.api<Audio[]>('GET', '/api/audio?silent=false')).body).toEqual([])
  })

  it('refuses a recording longer than the configured maximum and keeps nothing', async () => {
    const ctl = await startController({ args: ['--max-audio-minutes', '1'] })
    const r = await uploadWith(ctl, await makeTone(tmpDir(), 'long', 61))
    expect(r.status).toBe(422)
    expect(r.body.message).toMatch(/limit is 1/)
    expect(readdirSync(join(ctl.dataDir, 'audio'))).toEqual([])
    expect(readdirSync(join(ctl.dataDir, 'tmp'))).toEqual([])
  })

  it.each([
    ['a corrupt FLAC', 'flac', /damaged/],
    ['an M4A cut off in transfer', 'm4a', /incomplete/],
  ])('refuses %s with a reason and keeps nothing', async (_what, ext, re) => {
    const ctl = await startController()
    const dir = tmpDir()
    const good = join(dir, `good.${ext}`)
    const codec = ext === 'm4a' ? ['-c:a', 'aac'] : []
    const made = await runFfmpeg(ffmpegPath, [
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=3',
      ...codec,
      good,
    ])
    expect(made.code).toBe(0)
    const bytes = readFileSync(good)
    if (ext === 'flac') {
      for (let i = 2000; i < bytes.length - 100; i += 97)
        bytes[i] = ((bytes[i] ?? 0) * 31 + 7) & 255
    }
    const bad = join(dir, `bad.${ext}`)
    writeFileSync(bad, ext === 'm4a' ? bytes.subarray(0, bytes.length >> 1) : bytes)
    const r = await uploadWith(ctl, bad)
    expect(r.status).toBe(422)
    expect(r.body.code).toBe('AUDIO_INVALID')
    expect(r.body.message).toMatch(re)
    expect(readdirSync(join(ctl.dataDir, 'audio'))).toEqual([])
    expect(readdirSync(join(ctl.dataDir, 'tmp'))).toEqual([])
  })
})
