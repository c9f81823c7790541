import { describe, expect, it } from 'vitest'
import { serviceFixture } from '../testing/service-fixture.js'
import { createReports } from './reports.js'

describe('reports: a late play of a finished day', () => {
  it('drops that day from the report cache, also right after midnight (today is cached)', async () => {
    const f = serviceFixture()
    const dropped: string[] = []
    const reports = createReports({
      ...f,
      repos: {
        ...f.repos,
        reports: {
          ...f.repos.reports,
          invalidateDay: (date: string) => {
            dropped.push(date)
            f.repos.reports.invalidateDay(date)
          },
        },
      },
      tz: 'Asia/Shanghai',
      silentThresholdDb: -60,
      zoneLineage: () => [],
    })
    reports.start()
    const play = (date: string) =>
      f.bus.emit('playReported', {
        nodeId: 'n-1',
        eventId: `e-${dropped.length}-${date}`,
        itemId: `${date}/t080000`,
        type: 'play.finished',
        at: new Date(f.clock.now()).toISOString(),
        date,
        reason: null,
      })
    // 2026-11-27 23:59:59 in Shanghai: the 27th is today, the 26th is finished.
    await f.clock.advance(Date.parse('2026-11-27T15:59:59.000Z') - f.clock.now())
    play('2026-11-27')
    play('2026-11-26')
    expect(dropped).toEqual(['2026-11-26'])
    // Two seconds later it is the 28th: the 27th is finished now.
    await f.clock.advance(2000)
    play('2026-11-27')
    play('2026-11-28')
    expect(dropped).toEqual(['2026-11-26', '2026-11-27'])
    reports.stop()
  })
})
