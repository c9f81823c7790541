import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { createZonedTime, type PlanInputs, type RunningOrderItem } from '../../schedules/index.js'
import { createManualClock } from '../../testing/manual-clock.js'
import { createEventBus } from '../platform/events.js'
import type { LiveEndReason, LiveSession, LiveSessionInfo } from './hub.js'
import { createRelaySchedule } from './relay-schedule.js'

// A relay slot's session ends at the slot's end with the reason `limit`, whether the hub's own
// limit timer or the schedule's tick gets there first (on a busy controller the tick can win:
// the integration test saw `ended` once under load).
describe('relay schedule: the end of a slot', () => {
  it("ends a session still open at the slot's end with the reason 'limit'", async () => {
    const tz = 'Asia/Shanghai'
    const zone = createZonedTime(tz)
    // 2026-12-07 18:59:50 in Xining; the slot runs 19:00:00–19:00:30.
    const clock = createManualClock(zone.toInstant('2026-12-07', '18:59:50'))
    const item = {
      id: 'county',
      start: '19:00:00',
      audioId: null,
      title: '县台',
      relay: { url: 'http://10.0.0.5:8000/county.mp3', end: '19:00:30' },
    } as RunningOrderItem
    const inputs: PlanInputs = {
      templates: { working: [item], rest: [item] },
      dayOrders: new Map(),
      dayTypes: new Map(),
      audio: new Map(),
    }
    const ended: LiveEndReason[] = []
    // A hub whose session never ends by itself: only the schedule ends it.
    const hub = {
      open: (): LiveSession => {
        const info: LiveSessionInfo = {
          id: 's1',
          kind: 'relay',
          zones: [],
          by: 'schedule',
          openedAt: clock.now(),
          playAt: clock.now() + 1000,
          endedAt: null,
          endReason: null,
          sounding: [],
        }
        return {
          id: 's1',
          write: () => undefined,
          end: (reason) => {
            ended.push(reason)
            info.endedAt = clock.now()
            info.endReason = reason
          },
          info: () => info,
        }
      },
    }
    const schedule = createRelaySchedule({
      clock,
      log: pino({ level: 'silent' }),
      bus: createEventBus(),
      hub,
      tz,
      inputsOn: () => inputs,
    })
    schedule.start()
    await clock.advance(15_000)
    expect(ended).toEqual([])
    await clock.advance(30_000)
    expect(ended).toEqual(['limit'])
    schedule.stop()
  })
})
