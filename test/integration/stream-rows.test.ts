import { describe, expect, it } from 'vitest'
import { tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'

/** Opens GET /api/stream and parses its frames as they come. */
async function openStream(ctl: TestController, headers: Record<string, string>) {
  const abort = new AbortController()
  const res = await fetch(`${ctl.url}/api/stream`, { headers, signal: abort.signal })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        text += decoder.decode(value, { stream: true })
      }
    } catch {
      // aborted by the test's cleanup
    }
  })()
  const frames = () =>
    [...text.matchAll(/^event: (.+)\ndata: (.+)$/gm)].map((m) => ({
      event: m[1]!,
      data: JSON.parse(m[2]!) as unknown,
    }))
  const of = (event: string) =>
    frames()
      .filter((f) => f.event === event)
      .map((f) => f.data)
  return { of, close: () => abort.abort() }
}

describe('the live stream sends each bus event as its row says (sse-table.ts)', () => {
  it('coalesces, and narrows node-scoped rows to a zone-limited stream', async () => {
    const ctl = await startController()
    const bus = ctl.controller.deps!.bus
    const zone = async (name: string, parentId?: string) =>
      (await ctl.api<{ id: string }>('POST', '/api/zones', { name, parentId })).body.id
    const root = await zone('城北区')
    const town = await zone('二十里铺镇', root)
    const mine = await ctl.register('宋家寨 1', await zone('宋家寨村', town))
    const other = await ctl.register('严小村 1', await zone('严小村', root))
    const limited = await openStream(ctl, await tokenHeaders(ctl, ['technician'], [town]))
    const whole = await openStream(ctl, await tokenHeaders(ctl, ['technician']))

    const play = (nodeId: string, eventId: string) => ({
      nodeId,
      eventId,
      itemId: null,
      type: 'play.started',
      at: '2026-12-06T08:00:00.000Z',
      date: '2026-12-06',
      reason: null,
    })
    bus.emit('programmeChanged', {
      what: 'day',
      dates: ['2026-12-06'],
      zones: 'all',
      reason: 'test',
    })
    bus.emit('audioAdded', { audioId: 'au-1' })
    bus.emit('audioChanged', { audioId: 'au-1' })
    bus.emit('audioChanged', { audioId: 'au-2' })
    bus.emit('announcementChanged', { announcementId: 'no-such-announcement' })
    bus.emit('alertChanged', { alertId: 'no-such-alert' })
    bus.emit('readinessChanged', { nodeId: mine.id })
    bus.emit('readinessChanged', { nodeId: other.id })
    bus.emit('readinessChanged', { nodeId: mine.id })
    bus.emit('playReported', play(mine.id, 'e1'))
    bus.emit('playReported', play(other.id, 'e2'))
    bus.emit('playReported', play(mine.id, 'e1'))
    await waitFor(async () => whole.of('plays').length > 0, 'plays on the whole stream')
    await waitFor(async () => limited.of('plays').length > 0, 'plays on the limited stream')

    expect(whole.of('programme')).toEqual([[{ what: 'day', dates: ['2026-12-06'] }]])
    expect(limited.of('programme')).toEqual(whole.of('programme'))
    expect(whole.of('audio')).toEqual([['au-1', 'au-2']])
    expect(limited.of('audio')).toEqual([['au-1', 'au-2']])
    // Unknown ids: unscoped rows send an empty list to everyone, scoped rows (announcements,
    // alerts) only to whole streams.
    expect(whole.of('announcements')).toEqual([[]])
    expect(limited.of('announcements')).toEqual([])
    expect(whole.of('alerts')).toEqual([[]])
    expect(limited.of('alerts')).toEqual([])
    expect(whole.of('readiness')).toEqual([[mine.id, other.id]])
    expect(limited.of('readiness')).toEqual([[mine.id]])
    // Reports are not merged: the same event twice is sent twice.
    const ids = (frames: unknown[]) =>
      frames.flatMap((f) => (f as { eventId: string }[]).map((p) => p.eventId))
    expect(ids(whole.of('plays'))).toEqual(['e1', 'e2', 'e1'])
    expect(ids(limited.of('plays'))).toEqual(['e1', 'e1'])
    limited.close()
    whole.close()
  })
})
