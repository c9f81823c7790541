import { describe, expect, it } from 'vitest'
import { tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { openStream } from '../helpers/stream.js'
import { twoTowns } from '../helpers/zones.js'

describe('the live stream sends each bus event as its row says (sse-table.ts)', () => {
  it('coalesces, and narrows node-scoped rows to a zone-limited stream', async () => {
    const ctl = await startController()
    const bus = ctl.controller.deps!.bus
    // Node a in a village of town A (the limited stream's zone), node b in town B.
    const { townA: town, a: mine, b: other } = await twoTowns(ctl)
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
