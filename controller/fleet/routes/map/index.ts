import { existsSync, statSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { BinarySchema } from '../../../../contract/index.js'
import { ChorusError } from '../../../errors.js'

/** What the map page needs to draw its base map with no internet. */
export const MapConfigSchema = Type.Object({
  /** pmtiles: the controller serves a PMTiles file; raster: an intranet tile URL; none. */
  base: Type.Union([Type.Literal('pmtiles'), Type.Literal('raster'), Type.Literal('none')]),
  /** The PMTiles file (relative to the API) or the tile URL template. */
  url: Type.Union([Type.String(), Type.Null()]),
  center: Type.Object({ lat: Type.Number(), lon: Type.Number() }),
  zoom: Type.Number(),
})

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
