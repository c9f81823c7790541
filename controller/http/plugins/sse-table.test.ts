import { describe, expect, it } from 'vitest'
import type { ControllerEvents } from '../../platform/events.js'
import { NOT_STREAMED, STREAM_ROWS } from './sse-table.js'

// Every bus event, checked by the compiler: a new event fails to compile here until it is listed,
// and then fails the test below until it has a row or a reason in NOT_STREAMED.
const BUS_EVENTS: Record<keyof ControllerEvents, true> = {
  nodeChanged: true,
  playReported: true,
  zonesChanged: true,
  planPublicationChanged: true,
  audioAdded: true,
  transition: true,
  commandAcked: true,
  commandChanged: true,
  alertChanged: true,
  incidentChanged: true,
  audioChanged: true,
  programmeChanged: true,
  announcementChanged: true,
  planApplied: true,
  messageRejected: true,
  readinessChanged: true,
  accessChanged: true,
}

describe('the live stream table (sse-table.ts)', () => {
  it('gives every bus event exactly one place: one row, or a reason not to stream it', () => {
    const places = Object.keys(BUS_EVENTS).map((event) => {
      const rows = STREAM_ROWS.filter((r) => event in r.sources).map((r) => r.event)
      return [event, [...rows, ...(event in NOT_STREAMED ? ['(not streamed)'] : [])].length]
    })
    expect(places.filter(([, n]) => n !== 1)).toEqual([])
  })

  it('names each stream message once', () => {
    const names = STREAM_ROWS.map((r) => r.event)
    expect(new Set(names).size).toBe(names.length)
  })
})
