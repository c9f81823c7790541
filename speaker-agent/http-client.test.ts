import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpRequest } from './http-client.js'

describe('httpRequest (the agent without fetch)', () => {
  let server: http.Server
  let base: string
  /** Responses held open until the test ends them. */
  const held: http.ServerResponse[] = []
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/json') {
        res.setHeader('content-range', 'bytes 5-9/10')
        res.end(JSON.stringify({ now: 42, method: req.method, auth: req.headers.authorization }))
      } else if (req.url === '/echo') {
        let body = ''
        req.on('data', (d: Buffer) => {
          body += d.toString()
        })
        req.on('end', () => res.end(body))
      } else if (req.url === '/big') {
        res.end(Buffer.alloc(2048, 'x'))
      } else if (req.url === '/hang') {
        res.write('first part')
        held.push(res)
      } else {
        res.statusCode = 404
        res.end('no')
      }
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    for (const r of held) r.destroy()
    server.closeAllConnections()
    server.close()
  })

  it('answers status, headers and a JSON body, sending the headers given', async () => {
    const res = await httpRequest(new URL('/json', base), { headers: { authorization: 'Basic x' } })
    expect(res.status).toBe(200)
    expect(res.ok).toBe(true)
    expect(res.header('Content-Range')).toBe('bytes 5-9/10')
    expect(await res.json()).toEqual({ now: 42, method: 'GET', auth: 'Basic x' })
  })

  it('posts a body', async () => {
    const res = await httpRequest(new URL('/echo', base), { method: 'POST', body: '{"a":"é"}' })
    expect(await res.text()).toBe('{"a":"é"}')
  })

  it('an error status is an answer, not a failure', async () => {
    const res = await httpRequest(new URL('/nothing', base))
    expect({ status: res.status, ok: res.ok }).toEqual({ status: 404, ok: false })
    res.discard()
  })

  it('refuses to read a body larger than the limit', async () => {
    const res = await httpRequest(new URL('/big', base))
    await expect(res.text(1024)).rejects.toThrow(/larger than 1024 bytes/)
  })

  it('an abort ends a body being streamed; an aborted signal sends nothing', async () => {
    const ac = new AbortController()
    const res = await httpRequest(new URL('/hang', base), { signal: ac.signal })
    const reading = (async () => {
      for await (const chunk of res.body) {
        expect(chunk.toString()).toBe('first part')
        ac.abort()
      }
    })()
    await expect(reading).rejects.toThrow()
    await expect(httpRequest(new URL('/json', base), { signal: ac.signal })).rejects.toMatchObject({
      name: 'AbortError',
    })
  })

  it('refuses a URL that is not http: or https:', async () => {
    await expect(httpRequest(new URL('file:///etc/passwd'))).rejects.toThrow(/only http/)
  })

  it('a refused connection rejects', async () => {
    const closed = http.createServer()
    closed.listen(0, '127.0.0.1')
    await once(closed, 'listening')
    const port = (closed.address() as AddressInfo).port
    closed.close()
    await once(closed, 'close')
    await expect(httpRequest(new URL(`http://127.0.0.1:${port}/`))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    })
  })
})
