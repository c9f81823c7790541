/**
 * @module audio/ffmpeg-path
 * Finds the ffmpeg binary. `ffmpeg-static` downloads its binary while installing, which fails on
 * closed networks, so it is optional; `@ffmpeg-installer/ffmpeg` ships its binary inside the npm
 * package (PRODUCT.md, "ffmpeg"). The agent built for nodes (`npm run build:agent`) is one file
 * with the build machine's ffmpeg in `bin/` beside it, and no npm packages at all.
 */
import { accessSync, constants, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { AudioError } from './errors.js'

/** Environment shape read by {@link resolveFfmpegPath}. */
export type FfmpegEnv = Record<string, string | undefined>

/** Options of {@link resolveFfmpegPath}. */
export interface ResolveFfmpegOptions {
  /**
   * Directory whose `bin/ffmpeg` is tried right after `FFMPEG_PATH`. Default: the directory of
   * the running module, which in the bundled agent (`dist/agent/chorus-agent.mjs`) is the
   * bundle's own; from source it is `audio/`, which has no `bin/`.
   */
  besideDir?: string
  /**
   * Try `ffmpeg` on `PATH` right after `FFMPEG_PATH`, before the npm packages. The controller
   * asks for this: it parses every uploaded file, and a system ffmpeg (Debian 12: 5.1) is
   * maintained, while `@ffmpeg-installer/ffmpeg` ships a 2018 build.
   */
  preferSystem?: boolean
}

/**
 * Resolves the ffmpeg binary: `FFMPEG_PATH`, then (with `preferSystem`) `ffmpeg` on `PATH`, then
 * `bin/ffmpeg` beside the bundled agent, then
 * `ffmpeg-static` when its binary exists, then `@ffmpeg-installer/ffmpeg`, then `ffmpeg` on
 * `PATH`; throws `AUDIO_FFMPEG_MISSING` otherwise.
 */
export function resolveFfmpegPath(
  env: FfmpegEnv = process.env,
  opts: ResolveFfmpegOptions = {},
): string {
  const fromEnv = env.FFMPEG_PATH
  if (fromEnv !== undefined && fromEnv !== '') {
    if (isFile(fromEnv)) return fromEnv
    throw new AudioError(
      'AUDIO_FFMPEG_MISSING',
      `FFMPEG_PATH is set to "${fromEnv}", but no file exists there`,
    )
  }
  if (opts.preferSystem) {
    const system = findOnPath(env)
    if (system !== undefined) return system
  }
  const besideDir = opts.besideDir ?? path.dirname(fileURLToPath(import.meta.url))
  const bundled = path.join(
    besideDir,
    'bin',
    process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg',
  )
  if (isExecutable(bundled)) return bundled
  const require = createRequire(import.meta.url)
  const fromStatic = fromPackage(require, 'ffmpeg-static')
  if (fromStatic !== undefined) return fromStatic
  const fromInstaller = fromPackage(require, '@ffmpeg-installer/ffmpeg')
  if (fromInstaller !== undefined) return fromInstaller
  const fromPath = findOnPath(env)
  if (fromPath !== undefined) return fromPath
  throw new AudioError(
    'AUDIO_FFMPEG_MISSING',
    'ffmpeg not found: neither ffmpeg-static nor @ffmpeg-installer/ffmpeg provides a binary and ' +
      'there is no ffmpeg on PATH; set FFMPEG_PATH to the full path of an ffmpeg executable',
  )
}

/**
 * Loads a binary-shipping package and returns its binary when the file exists. `ffmpeg-static`
 * exports the path (or null on unsupported platforms); `@ffmpeg-installer/ffmpeg` exports
 * `{ path }` and throws a plain string when its platform package is missing.
 */
function fromPackage(require: NodeJS.Require, name: string): string | undefined {
  let loaded: unknown
  try {
    loaded = require(name)
  } catch {
    return undefined
  }
  const candidate =
    typeof loaded === 'string'
      ? loaded
      : typeof loaded === 'object' && loaded !== null && 'path' in loaded
        ? loaded.path
        : undefined
  return typeof candidate === 'string' && isFile(candidate) ? candidate : undefined
}

/** Scans `env.PATH` for an executable named `ffmpeg` (`ffmpeg.exe` on Windows). */
function findOnPath(env: FfmpegEnv): string | undefined {
  const names = process.platform === 'win32' ? ['ffmpeg.exe', 'ffmpeg'] : ['ffmpeg']
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue
    for (const name of names) {
      const candidate = path.join(dir, name)
      if (isExecutable(candidate)) return candidate
    }
  }
  return undefined
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

function isExecutable(file: string): boolean {
  if (!isFile(file)) return false
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}
