import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { open, readdir, readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { PlanItem } from '../protocol/index.js'
import { createAudioCache } from './audio-cache.js'
import { makeTempDir, silentLogger } from './testing/tmp-dir.js'

type Mode = 'normal' | 'drop-first' | 'wrong-bytes'

/** A local audio server with Range support; records every request it answers. */
async function startServer(content: Buffer, mode: Mode = 'normal') {
  const requests: Array<{ url: string; range: string | undefined; auth?: string }> = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({
      url: req.url ?? '',
      range: req.headers.range,
      ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
    })
    if (!req.url?.startsWith('/audio/')) {
      res.writeHead(404).end()
      return
    }
    const body = mode === 'wrong-bytes' ? Buffer.from(content).fill(7, 0, 10) : content
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    const start = match ? Number(match[1]) : 0
    const headers = { 'content-type': 'audio/mpeg', 'accept-ranges': 'bytes' }
    if (match) {
      res.writeHead(206, {
        ...headers,
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      })
    } else {
      res.writeHead(200, { ...headers, 'content-length': body.length })
    }
    if (mode === 'drop-first' && requests.length === 1) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
        setTimeout(() => req.socket.destroy(), 20)
      })
      return
    }
    res.end(body.subarray(start))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  const { port } = server.address() as AddressInfo
  return { baseUrl: `http://127.0.0.1:${port}`, requests }
}

async function setup(mode: Mode = 'normal') {
  const content = randomBytes(256 * 1024)
  const sha256 = createHash('sha256').update(content).digest('hex')
  const server = await startServer(content, mode)
  const { dir, cleanup } = await makeTempDir()
  onTestFinished(cleanup)
  const audioDir = join(dir, 'audio')
  const makeCache = () =>
    createAudioCache({ dir: audioDir, controllerUrl: server.baseUrl, log: silentLogger() })
  const item: PlanItem = {
    itemId: 'item-1',
    startAt: '2026-11-27T08:00:00.000Z',
    audioId: 'a1',
    sha256,
    sizeBytes: content.length,
    durationMs: 1000,
    url: `/audio/${sha256}.mp3`,
    title: 'News',
    priority: 10,
  }
  return { content, sha256, server, audioDir, makeCache, item }
}

describe('audio cache', () => {
  it('hashes a verified file again before a play: damaged and not fetchable is a checksum failure', async () => {
    const t = await setup()
    const cache = t.makeCache()
    const path = await cache.ensure(t.item)
    expect((await stat(path)).mode & 0o222).toBe(0)
    const fh = await open(path, 'r+')
    await fh.write(Buffer.alloc(64, 1), 0, 64, 1000)
    await fh.close()
    // Without `verify` the verified file is trusted (prefetch rounds); with it, it is hashed.
    expect(await cache.ensure(t.item)).toBe(path)
    const unreachable = { ...t.item, url: `http://127.0.0.1:1/audio/${t.sha256}.mp3` }
    await expect(cache.ensure(unreachable, { verify: true })).rejects.toMatchObject({
      code: 'AGENT_CHECKSUM',
    })
    expect(existsSync(path)).toBe(false)
    // Reachable again: fetched anew and intact.
    expect(await cache.ensure(t.item, { verify: true })).toBe(path)
    expect(await readFile(path)).toEqual(t.content)
  })

  it("sends the node's credentials as HTTP Basic to the controller, and to no other host", async () => {
    const t = await setup()
    const cache = createAudioCache({
      dir: t.audioDir,
      controllerUrl: t.server.baseUrl,
      credentials: { nodeId: 'node-1', secret: 's3cret' },
      log: silentLogger(),
    })
    await cache.ensure(t.item)
    const expected = `Basic ${Buffer.from('node-1:s3cret').toString('base64')}`
    expect(t.server.requests.at(-1)?.auth).toBe(expected)
    // The same server under another name is another origin: no credentials go there.
    const elsewhere = t.server.baseUrl.replace('127.0.0.1', 'localhost')
    await cache.evict(new Set())
    await cache.ensure({ ...t.item, url: `${elsewhere}${t.item.url}` })
    expect(t.server.requests.at(-1)?.auth).toBeUndefined()
  })

  it('downloads, verifies and stores audio by its sha256, and never fetches it twice', async () => {
    const t = await setup()
    const cache = t.makeCache()
    const path = await cache.ensure(t.item)
    expect(path).toBe(join(t.audioDir, `${t.sha256}.mp3`))
    expect(await readFile(path)).toEqual(t.content)
    expect(await cache.ensure(t.item)).toBe(path)
    expect(await t.makeCache().ensure(t.item)).toBe(path)
    expect(t.server.requests).toHaveLength(1)
    expect(await cache.sizeBytes()).toBe(t.content.length)
  })

  it('shares one download between concurrent requests for the same audio', async () => {
    const t = await setup()
    const cache = t.makeCache()
    const paths = await Promise.all([
      cache.ensure(t.item),
      cache.ensure(t.item),
      cache.ensure(t.item),
    ])
    expect(new Set(paths).size).toBe(1)
    expect(t.server.requests).toHaveLength(1)
  })

  it('resumes a download cut off halfway with a Range request', async () => {
    const t = await setup('drop-first')
    const cache = t.makeCache()
    await expect(cache.ensure(t.item)).rejects.toMatchObject({ code: 'AGENT_DOWNLOAD' })
    const partSize = (await stat(join(t.audioDir, `${t.sha256}.part`))).size
    expect(partSize).toBeGreaterThan(0)
    expect(partSize).toBeLessThan(t.content.length)

    const path = await cache.ensure(t.item)
    expect(await readFile(path)).toEqual(t.content)
    expect(t.server.requests.map((r) => r.range)).toEqual([undefined, `bytes=${partSize}-`])
    expect(existsSync(join(t.audioDir, `${t.sha256}.part`))).toBe(false)
  })

  it('rejects audio whose bytes do not match the sha256 and leaves no file behind', async () => {
    const t = await setup('wrong-bytes')
    const cache = t.makeCache()
    await expect(cache.ensure(t.item)).rejects.toMatchObject({ code: 'AGENT_CHECKSUM' })
    expect(await readdir(t.audioDir)).toEqual([])
  })

  it('rejects audio larger than the plan says without writing all of it', async () => {
    const t = await setup()
    const cache = t.makeCache()
    const item = { ...t.item, sizeBytes: 1000 }
    await expect(cache.ensure(item)).rejects.toMatchObject({ code: 'AGENT_CHECKSUM' })
    expect(await readdir(t.audioDir)).toEqual([])
  })

  it('reports an HTTP error as a download failure', async () => {
    const t = await setup()
    const cache = t.makeCache()
    const item = { ...t.item, url: `${t.server.baseUrl}/missing/${t.sha256}.mp3` }
    await expect(cache.ensure(item)).rejects.toMatchObject({
      code: 'AGENT_DOWNLOAD',
      message: expect.stringContaining('HTTP 404'),
    })
  })

  it('prefetches each distinct audio once and only logs failures', async () => {
    const t = await setup()
    const cache = t.makeCache()
    const broken = { ...t.item, itemId: 'item-3', sha256: 'f'.repeat(64), url: '/nowhere.mp3' }
    await cache.prefetch([t.item, { ...t.item, itemId: 'item-2' }, broken])
    expect(t.server.requests.map((r) => r.url)).toEqual([t.item.url, '/nowhere.mp3'])
    await cache.evict(new Set())
    expect(await readdir(t.audioDir)).toEqual([])
    await cache.stop()
  })
})
