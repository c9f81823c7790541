import { describe, expect, it } from 'vitest'
import { type Identity, mayPublish, maySubscribe } from './acl.js'

const node: Identity = { kind: 'node', nodeId: 'n1' }
const service: Identity = { kind: 'service', name: 'controller' }

describe('mayPublish', () => {
  it.each([
    [node, 'chorus/v1/nodes/n1/status', false, true],
    [node, 'chorus/v1/nodes/n1/events', false, true],
    [node, 'chorus/v1/nodes/n1/telemetry', false, true],
    [node, 'chorus/v1/nodes/n1/status', true, false],
    [node, 'chorus/v1/nodes/n1/plan', false, false],
    [node, 'chorus/v1/nodes/n1/cmd', false, false],
    [node, 'chorus/v1/nodes/n1/receipt', false, false],
    [node, 'chorus/v1/nodes/n2/receipt', false, false],
    [node, 'chorus/v1/nodes/n2/status', false, false],
    [node, 'chorus/v1/nodes/n2/events', false, false],
    [node, 'chorus/v1/fleet/rebirth', false, false],
    [node, 'other/topic', false, false],
    [node, '$SYS/x', false, false],
    [service, 'chorus/v1/nodes/n2/plan', false, true],
    [service, 'chorus/v1/fleet/rebirth', false, true],
    [service, 'chorus/v1/nodes/n1/receipt', false, true],
    [service, '$SYS/broker', false, false],
    [service, 'elsewhere', false, false],
  ] as const)('%o publishing %s (retain %s) → %s', (id, topic, retain, allowed) => {
    expect(mayPublish(id, topic, retain)).toBe(allowed)
  })
})

describe('maySubscribe', () => {
  it.each([
    [node, 'chorus/v1/nodes/n1/plan', true],
    [node, 'chorus/v1/nodes/n1/cmd', true],
    [node, 'chorus/v1/nodes/n1/receipt', true],
    [node, 'chorus/v1/nodes/n2/receipt', false],
    [node, 'chorus/v1/nodes/+/receipt', false],
    [node, 'chorus/v1/fleet/rebirth', true],
    [node, 'chorus/v1/nodes/n1/#', false],
    [node, 'chorus/v1/nodes/n1/+', false],
    [node, 'chorus/v1/nodes/n1/status', false],
    [node, 'chorus/v1/nodes/n2/plan', false],
    [node, 'chorus/v1/nodes/+/plan', false],
    [node, '#', false],
    [node, '+/#', false],
    [service, '#', true],
    [service, 'chorus/v1/nodes/+/events', true],
  ] as const)('%o subscribing to %s → %s', (id, filter, allowed) => {
    expect(maySubscribe(id, filter)).toBe(allowed)
  })
})
