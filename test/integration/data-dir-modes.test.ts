import { chmodSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'

/** Every directory and file under `dir` with its permission bits. */
function modes(dir: string, root = dir): Record<string, string> {
  const out: Record<string, string> = { [relative(root, dir) || '.']: mode(dir) }
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) Object.assign(out, modes(p, root))
    else if (e.isFile()) out[relative(root, p)] = mode(p)
  }
  return out
}
const mode = (p: string) => (lstatSync(p).mode & 0o777).toString(8)

describe('the data directory', () => {
  it('is private to the controller: directories 0700, files 0600, WAL, SHM, keys and CA included', async () => {
    const dataDir = join(tmpDir('chorus-modes-'), 'data')
    // An install made by an older version, world-readable.
    mkdirSync(join(dataDir, 'audio'), { recursive: true, mode: 0o755 })
    chmodSync(dataDir, 0o755)
    writeFileSync(join(dataDir, 'audio', 'old.mp3'), 'old', { mode: 0o644 })
    // Something an operator keeps there is not the controller's to change (the directory's
    // 0700 already hides it).
    writeFileSync(join(dataDir, 'README.txt'), 'ours', { mode: 0o644 })
    const ctl = await startController({ dataDir, args: ['--tls', 'on'] })
    expect(ctl.url).toMatch(/^https:/)
    const all = modes(dataDir)
    expect(Object.keys(all)).toEqual(
      expect.arrayContaining(['chorus.db', 'chorus.db-wal', 'chorus.db-shm', 'tls/ca.pem']),
    )
    expect(Object.keys(all).some((k) => k.startsWith('keys/'))).toBe(true)
    expect(all['README.txt']).toBe('644')
    delete all['README.txt']
    for (const [path, m] of Object.entries(all)) {
      const isDir = lstatSync(join(dataDir, path)).isDirectory()
      expect(m, path).toBe(isDir ? '700' : '600')
    }
  })
})
