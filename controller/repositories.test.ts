import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { openDatabase } from './platform/database.js'
import { createRepositories, sharedRepositories } from './repositories.js'

describe('shared repositories', () => {
  it('hand every module but provisioning the nodes and zones tables read-only, at run time too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-repos-'))
    const db = openDatabase(join(dir, 'chorus.db'))
    onTestFinished(() => {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    })
    const repos = createRepositories(db)
    const shared = sharedRepositories(repos)
    expect(Object.keys(shared.nodes).sort()).toEqual([
      'findBySerial',
      'get',
      'isOnline',
      'list',
      'secretHash',
    ])
    expect(Object.keys(shared.zones).sort()).toEqual([
      'findByCode',
      'findByName',
      'get',
      'list',
      'nodeCounts',
      'resolve',
      'usage',
    ])
    // The readers read the same table provisioning writes.
    repos.zones.insert({ id: 'z1', name: '二十里铺镇', parentId: null, code: null }, '2026-11-27')
    expect(shared.zones.resolve('z1')?.name).toBe('二十里铺镇')
    expect(shared.zones.usage('z1').nodes).toBe(0)
    // Every other table is handed over as it is.
    expect(shared.alerts).toBe(repos.alerts)
  })
})
