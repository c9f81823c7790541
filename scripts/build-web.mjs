// Builds the web UI (Vue 3 + Element Plus, controller/web/ui → controller/web/dist, vite). Runs
// from `prepare` on every `npm install`, so it stays quiet, and skips when vite is not installed
// (a production install without dev dependencies serves the dist it was given).
// While developing: `npx vite controller/web/ui` serves the UI with hot reload (see its config).

import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const ui = join(root, 'controller', 'web', 'ui')
const dist = join(root, 'controller', 'web', 'dist')

let vite
try {
  vite = await import('vite')
} catch {
  console.warn('build-web: vite is not installed; the web UI was not built')
  process.exit(0)
}
const started = Date.now()
try {
  await vite.build({ configFile: join(ui, 'vite.config.ts'), logLevel: 'warn' })
  console.log(`build-web: ${dist} built in ${Date.now() - started} ms`)
} catch (err) {
  console.error(`build-web: failed: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
}
