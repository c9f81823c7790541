// Bundles the web UI: the classic UI (controller/web/src → controller/web/dist, esbuild) and the
// new Vue UI (controller/web/ui → controller/web/dist/next, vite; issue 11). Runs from `prepare`
// on every `npm install`, so it stays fast and quiet, and skips what is not installed.
// `--watch` rebuilds the classic UI on change (the new one: `npx vite controller/web/ui`).

import { existsSync, watch } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'controller', 'web', 'src')
const dist = join(root, 'controller', 'web', 'dist')
const STATIC = ['index.html', 'style.css']
const ui = join(root, 'controller', 'web', 'ui')

/** Builds the Vue UI with vite's JS API, or says why not (vite missing: not an error). */
async function buildNext() {
  let vite
  try {
    vite = await import('vite')
  } catch {
    console.warn('build-web: vite is not installed; the new web UI (/next/) was not built')
    return
  }
  await vite.build({ configFile: join(ui, 'vite.config.ts'), logLevel: 'warn' })
}

let esbuild
try {
  esbuild = await import('esbuild')
} catch {
  console.warn('build-web: esbuild is not installed; the web UI was not built')
  process.exit(0)
}
if (!existsSync(join(src, 'main.ts'))) {
  console.warn(`build-web: ${src} has no main.ts; nothing to build`)
  process.exit(0)
}

async function copyStatic() {
  await mkdir(dist, { recursive: true })
  await Promise.all(STATIC.map((f) => copyFile(join(src, f), join(dist, f))))
}

const options = {
  entryPoints: [join(src, 'main.ts')],
  outfile: join(dist, 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
}

const started = Date.now()
try {
  if (process.argv.includes('--watch')) {
    const ctx = await esbuild.context({ ...options, logLevel: 'info' })
    await copyStatic()
    await ctx.watch()
    watch(src, (_event, file) => {
      if (file && STATIC.includes(file)) copyStatic().catch((err) => console.error(err))
    })
    console.log(`build-web: watching ${src}`)
  } else {
    await Promise.all([esbuild.build(options), copyStatic()])
    // After the classic UI: its build leaves dist/next alone, vite empties and refills it.
    await buildNext()
    console.log(`build-web: ${dist} and ${dist}/next built in ${Date.now() - started} ms`)
  }
} catch (err) {
  console.error(`build-web: failed: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
}
