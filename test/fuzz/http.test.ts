import { describe, expect, it } from 'vitest'
import { MUTATING } from '../../controller/http/access-policy.js'
import { makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { dbSnapshot, heapUsed, invalidBody, type Rng, randomString, rng } from '../helpers/fuzz.js'
import { tmpDir } from '../helpers/tmp-dir.js'

// Deterministic: set CHORUS_FUZZ_SEED to replay another run; every failure names its case.
const SEED = Number(process.env.CHORUS_FUZZ_SEED ?? 20_261_127)
const CASES_PER_ROUTE = 40
const BUDGET_MS = 100_000

/** Routes that cannot be given a wrong request (no params, no body): nothing to fuzz. */
const NOTHING_TO_BREAK = new Set(['POST /api/auth/logout', 'GET /api/stream'])

const QUERY_KEYS = ['q', 'limit', 'offset', 'date', 'from', 'to', 'month', 'format', 'lang']
const MORE_KEYS = ['hours', 'days', 'state', 'column', 'silent', 'actor', 'action']

function garbage(r: Rng): string {
  const s = randomString(r)
  // encodeURIComponent throws on a lone surrogate: replace those (only) first.
  const wellFormed = s.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  )
  return s === '' ? '%20' : encodeURIComponent(wellFormed).slice(0, 3000)
}

function randomQuery(r: Rng): string {
  if (r.chance(0.1)) return '?%%%&&==&%zz'
  const parts = Array.from({ length: 1 + r.int(4) }, () => {
    const key = r.pick([...QUERY_KEYS, ...MORE_KEYS])
    return `${key}=${garbage(r)}`
  })
  return `?${parts.join('&')}`
}

/** A request body that no route accepts, with its content type. */
function badPayload(r: Rng, opts: { realParams: boolean }) {
  const json = (v: unknown) => ({ type: 'application/json', payload: JSON.stringify(v) })
  const roll = r.int(opts.realParams ? 3 : 6)
  if (roll === 0) return json(invalidBody(r, { name: 'x', zone: 'y', items: [], roles: [] }))
  if (roll === 1) return json(invalidBody(r))
  if (roll === 2) return { type: 'application/json', payload: r.bytes(1 + r.int(300)) }
  if (roll === 3) return { type: 'text/plain', payload: randomString(r) }
  if (roll === 4) {
    const b = 'fuzzboundary'
    const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="x.wav"\r\n\r\n${randomString(r)}\r\n${r.chance(0.5) ? `--${b}--` : ''}`
    return { type: `multipart/form-data; boundary=${b}`, payload: body }
  }
  return { type: 'application/json', payload: '' }
}

describe('fuzz: every HTTP route', () => {
  it('answers random and mutated requests with 4xx, never 500, changing nothing', async () => {
    const ctl = await startController()
    const app = ctl.controller.http()!
    // Real things, so that mutated bodies also reach existing nodes, recordings, dates…
    const node = await ctl.register('fuzz 1')
    const audio = await ctl.upload(await makeTone(tmpDir(), 'fuzz', 1, 440), 'fuzz')
    const column = await ctl.api<{ id: string }>('POST', '/api/columns', {
      name: '新闻',
      colour: '#112233',
    })
    const zones = await ctl.api<{ id: string }[]>('GET', '/api/zones')
    const real: Record<string, string[]> = {
      id: [node.id, audio.id, column.body.id, zones.body[0]!.id],
      date: ['2030-01-07'],
      dayType: ['working', 'rest'],
      kind: ['nodeOffline'],
      sha256: [audio.sha256],
    }
    const seen = new Set<string>()
    const routes = app.accessTable.filter((e) => {
      const key = `${e.method} ${e.url}`
      if (e.method === 'HEAD' || seen.has(key) || NOTHING_TO_BREAK.has(key)) return false
      seen.add(key)
      return true
    })
    expect(routes.length).toBeGreaterThan(60)

    const r = rng(SEED)
    const problems: string[] = []
    const auths = [
      () => ctl.headers,
      () => ({}),
      () => ({ authorization: `Bearer ${randomString(r).slice(0, 300)}` }),
      () => ({ authorization: `Basic ${r.bytes(1 + r.int(60)).toString('base64')}` }),
      () => ({
        authorization: randomString(r)
          .replace(/[^\x20-\x7e]/g, '')
          .slice(0, 200),
      }),
      () => ({ cookie: `chorus_session=${garbage(r)}`, 'x-csrf-token': garbage(r) }),
    ]
    async function fire(e: (typeof routes)[number], n: number): Promise<void> {
      const key = `${e.method} ${e.url}`
      const mutating = MUTATING.has(e.method)
      const hasBody = e.body !== undefined
      const realParams = !mutating || (hasBody && r.chance(0.5))
      const url =
        e.url
          .replace(/:(\w+)/g, (_m, name: string) =>
            realParams && real[name] ? r.pick(real[name]) : garbage(r),
          )
          .replace('/*', `/${garbage(r)}`) + (r.chance(0.6) ? randomQuery(r) : '')
      const headers: Record<string, string> = r.chance(0.8) ? ctl.headers : r.pick(auths)()
      const body = mutating ? badPayload(r, { realParams }) : null
      const res = await app.inject({
        method: e.method as 'GET',
        url,
        headers: body ? { ...headers, 'content-type': body.type } : headers,
        ...(body ? { payload: body.payload } : {}),
      })
      const where = `${key} case ${n} (seed ${SEED}): ${res.statusCode} ${url.slice(0, 120)}`
      if (res.statusCode >= 500) problems.push(`${where} ${res.body.slice(0, 200)}`)
      else if (mutating && (res.statusCode < 400 || res.statusCode >= 500)) {
        problems.push(`${where} accepted ${String(body?.payload).slice(0, 120)}`)
      }
      if (/\bat .+\.(ts|js|mjs):\d+/.test(res.body)) problems.push(`${where} leaks a stack trace`)
    }

    // Warm up (JIT, caches), then measure the heap around the real run.
    for (const e of routes.slice(0, 20)) await fire(e, -1)
    const heapBefore = heapUsed()
    const before = dbSnapshot(ctl.dataDir)
    const deadline = Date.now() + BUDGET_MS
    let sent = 0
    for (let n = 0; n < CASES_PER_ROUTE && Date.now() < deadline; n++) {
      for (const e of routes) {
        await fire(e, n)
        sent++
      }
    }
    expect(problems).toEqual([])
    expect(sent).toBeGreaterThan(routes.length * 3)
    expect(dbSnapshot(ctl.dataDir)).toEqual(before)
    expect((await ctl.api<{ status: string }>('GET', '/api/health')).body.status).toBe('ok')
    // Memory stays flat: a generous bound, since without --expose-gc nothing forces a collection
    // (raised from 96 MB when this round added about 40 routes, each fuzzed as many times).
    expect(heapUsed() - heapBefore).toBeLessThan(128 * 1024 * 1024)
  }, 180_000)
})
