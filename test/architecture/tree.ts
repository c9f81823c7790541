import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { LAYERS, type SourceText } from './rules.js'

const SKIP = new Set(['node_modules', 'dist', 'data', '.git'])

/** The TypeScript and Vue sources of a tree's top-level folders, with POSIX paths from `root`. */
export function readTree(
  root: string,
  folders: readonly string[] = Object.keys(LAYERS),
): SourceText[] {
  const out: SourceText[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (SKIP.has(name)) continue
      const full = join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else if (/\.(ts|mts|vue)$/.test(name) && !name.endsWith('.d.ts')) {
        out.push({
          path: relative(root, full).split(sep).join('/'),
          source: readFileSync(full, 'utf8'),
        })
      }
    }
  }
  for (const folder of folders) if (existsSync(join(root, folder))) walk(join(root, folder))
  return out
}
