import { describe, expect, it } from 'vitest'
import { AgentEventSchema } from '../../protocol/index.js'
import { INGEST_TABLE, ingestRow } from './ingest-table.js'

/** The `type` literal of every event the protocol lets an agent report. */
const PROTOCOL_TYPES = AgentEventSchema.anyOf.map((s) => s.properties.type.const as string)

describe('the ingestion table (ingest-table.ts)', () => {
  it('has exactly one row per event type of the protocol', () => {
    expect(PROTOCOL_TYPES.length).toBeGreaterThanOrEqual(10)
    expect(new Set(PROTOCOL_TYPES).size).toBe(PROTOCOL_TYPES.length)
    expect(Object.keys(INGEST_TABLE).sort()).toEqual([...PROTOCOL_TYPES].sort())
  })

  it('finds no row for a type it does not know, nor for an inherited name', () => {
    expect(ingestRow('play.paused')).toBeNull()
    expect(ingestRow('constructor')).toBeNull()
    expect(ingestRow('play.started')).toBe(INGEST_TABLE['play.started'])
  })

  it('stores the reason of exactly the events that carry one', () => {
    const withReason = PROTOCOL_TYPES.filter((t) =>
      AgentEventSchema.anyOf.some((s) => s.properties.type.const === t && 'reason' in s.properties),
    )
    const rowsWithReason = Object.entries(INGEST_TABLE).filter(([, r]) => 'reason' in r)
    expect(rowsWithReason.map(([t]) => t).sort()).toEqual(withReason.sort())
  })
})
