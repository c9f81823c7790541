/**
 * What the web UI's first page costs the browser: builds `controller/web/ui` into a temporary
 * directory with Vite's manifest, then tells the files (script and CSS, bytes raw and gzip -9)
 * that load before the app starts (the entry and its static imports) and what the nodes page
 * (the technicians' home: its layout and page chunks and their static imports) adds, with the
 * number of requests each makes. `--root CHECKOUT` measures another checkout (main's, for an A/B).
 *
 *   node --import tsx scripts/bench/web-size.ts [--root DIR] [--json]
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'

interface ManifestChunk {
  file: string
  src?: string
  isEntry?: boolean
  imports?: string[]
  css?: string[]
}
type Manifest = Record<string, ManifestChunk>

/** Files one chunk needs before it runs: itself, its static imports (transitively), their CSS. */
export function closure(manifest: Manifest, keys: readonly string[]): Set<string> {
  const files = new Set<string>()
  const seen = new Set<string>()
  const visit = (key: string) => {
    if (seen.has(key)) return
    seen.add(key)
    const chunk = manifest[key]
    if (!chunk) throw new Error(`web-size: ${key} is not in the manifest`)
    files.add(chunk.file)
    for (const css of chunk.css ?? []) files.add(css)
    for (const dep of chunk.imports ?? []) visit(dep)
  }
  for (const k of keys) visit(k)
  return files
}

interface Sizes {
  requests: number
  jsBytes: number
  jsGzip: number
  cssBytes: number
  cssGzip: number
}

function sizes(dir: string, files: Iterable<string>): Sizes {
  const s: Sizes = { requests: 0, jsBytes: 0, jsGzip: 0, cssBytes: 0, cssGzip: 0 }
  for (const f of files) {
    const path = join(dir, f)
    const raw = statSync(path).size
    const gz = gzipSync(readFileSync(path), { level: 9 }).length
    s.requests++
    if (f.endsWith('.css')) {
      s.cssBytes += raw
      s.cssGzip += gz
    } else {
      s.jsBytes += raw
      s.jsGzip += gz
    }
  }
  return s
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { root: { type: 'string' }, json: { type: 'boolean', default: false } },
  })
  const root = resolve(values.root ?? '.')
  const ui = join(root, 'controller', 'web', 'ui')
  const out = mkdtempSync(join(tmpdir(), 'chorus-web-size-'))
  try {
    const vite = await import(join(root, 'node_modules', 'vite', 'dist', 'node', 'index.js'))
    await vite.build({
      configFile: join(ui, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir: out, emptyOutDir: true, manifest: 'manifest.json' },
    })
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest
    const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry)
    if (!entryKey) throw new Error('web-size: no entry in the manifest')
    const entry = closure(manifest, [entryKey])
    const page = closure(manifest, ['src/layout/AppLayout.vue', 'src/fleet/NodesPage.vue'])
    const added = [...page].filter((f) => !entry.has(f))
    const rows = {
      entry: sizes(out, entry),
      'nodes page (layout + page)': sizes(out, added),
      'first page in all': sizes(out, new Set([...entry, ...page])),
    }
    if (values.json) console.log(JSON.stringify({ root, ...rows }))
    else {
      const kB = (n: number) => `${(n / 1000).toFixed(0)} kB`
      for (const [name, s] of Object.entries(rows)) {
        console.log(
          `${name}: ${s.requests} files; script ${kB(s.jsBytes)} (gzip ${kB(s.jsGzip)}), CSS ${kB(s.cssBytes)} (gzip ${kB(s.cssGzip)})`,
        )
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

await main()
