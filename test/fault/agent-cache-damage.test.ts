import { once } from 'node:events'
import { open, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PlayFailedEvent, PlayFinishedEvent } from '../../speaker-agent/events.js'
import { startAgent } from '../helpers/agent.js'
import { decodedPcm, makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { scheduleItems, wholeSecondAhead } from './schedule.js'

describe('fault: cached audio damaged after it was verified', () => {
  it('is not played as noise: the node fetches it again and plays what was signed', async () => {
    const ctl = await startController()
    const source = await makeTone(tmpDir(), 'news', 1.5, 440)
    const audio = await ctl.upload(source, 'news')
    const a = await startAgent(ctl, { sink: 'wav' })
    const at = wholeSecondAhead(6000)
    await scheduleItems(ctl, [{ at, audioId: audio.id, title: 'news' }], a.agent)

    // Prefetched and verified: then garbled in place (same size, bytes in the middle flipped).
    const cacheDir = join(a.dataDir, 'audio')
    const cached = await waitFor(
      async () =>
        (await readdir(cacheDir).catch(() => [])).find(
          (n) => n.startsWith(audio.sha256) && !n.endsWith('.part'),
        ),
      'audio prefetched',
      10_000,
    )
    const file = join(cacheDir, cached)
    expect((await stat(file)).mode & 0o222).toBe(0) // verified files are read-only
    const size = (await stat(file)).size
    const fh = await open(file, 'r+')
    await fh.write(Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 2))
    await fh.close()
    expect(Date.now()).toBeLessThan(at) // damaged before its play

    const failed: PlayFailedEvent[] = []
    a.agent.events.on('failed', (e) => failed.push(e))
    const [played] = (await once(a.agent.events, 'played')) as [PlayFinishedEvent]
    expect(failed).toEqual([])
    expect(played.sha256).toBe(audio.sha256)
    // What went out is the uploaded programme, not the garbled bytes.
    const delivered = join(tmpDir(), 'delivered')
    const bytes = Buffer.from(
      await (
        await fetch(`${ctl.url}/api/audio/files/${audio.sha256}`, { headers: ctl.headers })
      ).arrayBuffer(),
    )
    const fhd = await open(delivered, 'w')
    await fhd.write(bytes)
    await fhd.close()
    const out = decodedPcm(join(a.wavDir, `${played.itemId.replace('/', '_')}.wav`))
    expect(out.sha256).toBe(decodedPcm(delivered).sha256)
  })
})
