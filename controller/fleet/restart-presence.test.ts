import { describe, expect, it } from 'vitest'
import { rebirthWaitSec } from './restart-presence.js'

describe('rebirthWaitSec', () => {
  it.each([
    // grace, agents' cap, nodes → seconds
    [15, 60, 0, 70],
    [15, 60, 435, 71],
    [15, 60, 10_000, 90],
    [15, 1, 3, 15], // never below the configured grace
    [120, 60, 435, 120],
    [15, 30, 203, 41],
  ])('grace %i s, cap %i s, %i nodes: %i s', (graceSec, agentReconnectCapSec, nodes, want) => {
    expect(rebirthWaitSec({ graceSec, agentReconnectCapSec, nodes })).toBe(want)
  })
})
