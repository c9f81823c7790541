import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256File } from './hash.js'

describe('sha256File', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-hash-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('matches node:crypto over the whole file, across many stream chunks', async () => {
    const file = path.join(dir, 'blob.bin')
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff
    await writeFile(file, bytes)
    const expected = createHash('sha256')
      .update(await readFile(file))
      .digest('hex')
    expect(await sha256File(file)).toBe(expected)
  })

  it('hashes an empty file to the well-known empty digest', async () => {
    const file = path.join(dir, 'empty')
    await writeFile(file, '')
    expect(await sha256File(file)).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })
})
