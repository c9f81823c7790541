import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeTone } from '../helpers/audio.js'
import { startController, type TestController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'

interface Refusal {
  code?: string
  message?: string
}

/** Uploads `body` as a file called `name`; returns the status and answer. */
async function uploadBytes(ctl: TestController, name: string, body: Buffer | string) {
  const form = new FormData()
  form.append('file', new Blob([body]), name)
  const res = await fetch(`${ctl.url}/api/audio`, {
    method: 'POST',
    body: form,
    headers: ctl.headers,
  })
  return { status: res.status, body: (await res.json()) as Refusal & { id?: string } }
}

/** Nothing was stored: no library entry, no delivered file, no scratch file left behind. */
async function expectNothingStored(ctl: TestController): Promise<void> {
  const list = await ctl.api<{ items?: unknown[] } | unknown[]>('GET', '/api/audio')
  const items = Array.isArray(list.body) ? list.body : (list.body.items ?? [])
  expect(items).toHaveLength(0)
  expect(await readdir(join(ctl.dataDir, 'audio'))).toEqual([])
  expect(await readdir(join(ctl.dataDir, 'tmp'))).toEqual([])
}

describe('uploads never make ffmpeg read another file', () => {
  it('refuses an HLS playlist named .mp3 that points at a secret file next to the data dir', async () => {
    const root = tmpDir('chorus-upload-attack-')
    const dataDir = join(root, 'data')
    await mkdir(dataDir)
    // The secret: a real recording the attacker wants out of the controller's disk.
    const secret = join(root, 'x.wav')
    await copyFile(await makeTone(root, 'tone', 2), secret)
    const ctl = await startController({ dataDir })
    const playlists = {
      'relative.mp3': `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2.0,\n../../x.wav\n#EXT-X-ENDLIST\n`,
      'absolute.mp3': `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2.0,\nfile://${secret}\n#EXT-X-ENDLIST\n`,
      'concat.mp3': `ffconcat version 1.0\nfile '${secret}'\n`,
    }
    for (const [name, text] of Object.entries(playlists)) {
      const r = await uploadBytes(ctl, name, text)
      expect(r.status, name).toBe(422)
      expect(r.body.code, name).toBe('AUDIO_INVALID')
      expect(r.body.message, name).toMatch(/MP3, WAV, M4A, Ogg or FLAC/)
    }
    await expectNothingStored(ctl)
  })

  it('refuses a file that is none of the accepted formats, and still takes real audio', async () => {
    const dir = tmpDir('chorus-upload-formats-')
    const ctl = await startController()
    await writeFile(join(dir, 'noise.mp3'), Buffer.alloc(4096, 7))
    const r = await uploadBytes(ctl, 'noise.mp3', Buffer.alloc(4096, 7))
    expect(r.status).toBe(422)
    expect(r.body.code).toBe('AUDIO_INVALID')
    await expectNothingStored(ctl)
    const wav = await ctl.upload(await makeTone(dir, 'ok', 1))
    const mp3 = await ctl.upload(await makeTone(dir, 'ok2', 1, 660, 'mp3'))
    expect(wav.durationMs).toBeGreaterThan(900)
    expect(mp3.durationMs).toBeGreaterThan(900)
  })
})
