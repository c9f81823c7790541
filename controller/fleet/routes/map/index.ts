import { existsSync, statSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { BinarySchema, MapConfigSchema } from '../../../../contract/index.js'
import { ChorusError } from '../../../errors.js'

/**
 * The base map: `GET /api/map` says which one (a PMTiles file the office supplies, an intranet
 * tile service, or none) and the district's default view; `GET /api/map/tiles.pmtiles` serves
 * the file with HTTP range requests, which is how MapLibre's PMTiles protocol reads it.
 */
export async function mapRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { config } = app.deps
  const file = config.mapTilesFile ? resolve(config.mapTilesFile) : ''
  const [lat, lon] = config.mapCenter.split(',').map(Number) as [number, number]

  app.get('/', { schema: { response: { 200: MapConfigSchema } } }, async () => {
    const hasFile = file !== '' && existsSync(file) && statSync(file).isFile()
    if (file && !hasFile) app.log.warn({ file }, 'mapTilesFile does not exist: no base map')
    return {
      base: hasFile
        ? ('pmtiles' as const)
        : config.mapTileUrl
          ? ('raster' as const)
          : ('none' as const),
      url: hasFile ? 'api/map/tiles.pmtiles' : config.mapTileUrl || null,
      center: { lat, lon },
      zoom: config.mapZoom,
    }
  })

  const tiles = { schema: { response: { 200: BinarySchema } } }
  app.get('/tiles.pmtiles', tiles, async (_req, reply) => {
    if (!file || !existsSync(file))
      throw new ChorusError('MAP_NOT_CONFIGURED', 'no map file is configured')
    // @fastify/static's sendFile answers Range requests (206) and conditional requests.
    return reply
      .header('cache-control', 'private, max-age=3600')
      .sendFile(basename(file), dirname(file), { acceptRanges: true, dotfiles: 'deny' })
  })
}
