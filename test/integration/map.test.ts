import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'

describe('the base map without internet', () => {
  it('serves the configured PMTiles file with range requests, and the district view', async () => {
    const dir = await tmpDir()
    const file = join(dir, 'chengbei.pmtiles')
    const bytes = Buffer.alloc(4096, 7)
    bytes.write('PMTiles', 0, 'ascii')
    writeFileSync(file, bytes)
    const ctl = await startController({
      args: ['--map-tiles-file', file, '--map-center', '36.70,101.75', '--map-zoom', '13'],
    })
    const cfg = await ctl.api<{ base: string; url: string; center: unknown; zoom: number }>(
      'GET',
      '/api/map',
    )
    expect(cfg.body).toEqual({
      base: 'pmtiles',
      url: 'api/map/tiles.pmtiles',
      center: { lat: 36.7, lon: 101.75 },
      zoom: 13,
    })
    // MapLibre's PMTiles protocol reads the header and directories with Range requests.
    const r = await fetch(`${ctl.url}/api/map/tiles.pmtiles`, {
      headers: { ...ctl.headers, range: 'bytes=0-126' },
    })
    expect(r.status).toBe(206)
    const part = Buffer.from(await r.arrayBuffer())
    expect(part.length).toBe(127)
    expect(part.subarray(0, 7).toString('ascii')).toBe('PMTiles')
    const anonymous = await fetch(`${ctl.url}/api/map/tiles.pmtiles`)
    expect(anonymous.status).toBe(401)
  })

  it('points at an intranet tile service instead, or says there is no base map', async () => {
    const url = 'http://tiles.example.gov.cn/{z}/{x}/{y}.png'
    const withUrl = await startController({ args: ['--map-tile-url', url] })
    expect(
      (await withUrl.api<{ base: string; url: string }>('GET', '/api/map')).body,
    ).toMatchObject({
      base: 'raster',
      url,
    })
    const none = await startController()
    expect((await none.api<{ base: string; url: null }>('GET', '/api/map')).body).toMatchObject({
      base: 'none',
      url: null,
      center: { lat: 36.66, lon: 101.76 },
    })
    expect((await none.api<{ code: string }>('GET', '/api/map/tiles.pmtiles')).status).toBe(404)
  })
})
