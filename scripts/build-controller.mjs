// Builds the controller into plain JavaScript (npm start runs it through `prestart`):
//
//   dist/controller/main.js           controller/main.ts and every module of ours, one ESM file
//   dist/controller/verify-worker.js  the event-signature worker thread (controller/ingest)
//
// Why: under tsx the controller holds ~40 MB more resident memory before any node connects
// (tsx's loader and esbuild's transform of each source file at load; docs/benchmarks.md,
// 2026-12-07 session 6). npm packages stay outside the bundle (resolved from node_modules, as under
// tsx), except JSON data files, which are inlined (Node needs an import attribute for them).
// Files our modules find beside their source (SQL migrations, the web UI's dist, a bundled ffmpeg,
// pino-pretty) are still found there: each module's `import.meta.url` is its source file's URL.
// Takes about a second; `npm run dev` and the tests still run the TypeScript through tsx.
//
// Options: --out DIR (default dist/controller).

import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({
  options: { out: { type: 'string', default: join(root, 'dist', 'controller') } },
})
const out = resolve(values.out)
const started = Date.now()

let esbuild
try {
  // A dependency of tsx, so present in a production install too.
  esbuild = await import('esbuild')
} catch (err) {
  console.error(`build-controller: esbuild is not installed (${err}); run npm install`)
  process.exit(1)
}

// The worker is found beside the running module (`./verify-worker.js` next to main.js).
const WORKER_HOST = join(root, 'controller', 'ingest', 'verify-pool.ts')

const sourceLocations = {
  name: 'source-locations',
  setup(build) {
    // Packages stay in node_modules; their JSON data files are inlined.
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.endsWith('.json') || args.kind === 'entry-point'
        ? undefined
        : { path: args.path, external: true },
    )
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      if (args.path === WORKER_HOST) return { contents: source, loader: 'ts' }
      const url = JSON.stringify(pathToFileURL(args.path).href)
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' }
    })
  },
}

try {
  await esbuild.build({
    entryPoints: {
      main: join(root, 'controller', 'main.ts'),
      'verify-worker': join(root, 'controller', 'ingest', 'verify-worker.ts'),
    },
    outdir: out,
    outExtension: { '.js': '.js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    keepNames: true,
    sourcemap: 'linked',
    plugins: [sourceLocations],
    logLevel: 'warning',
  })
} catch (err) {
  console.error(`build-controller: failed: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
}
console.log(`build-controller: ${out} built in ${Date.now() - started} ms`)
