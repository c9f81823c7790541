import { describe, expect, it } from 'vitest'
import { type Identity, mayPublish, maySubscribe } from './acl.js'
import { publishCases, subscribeCases, type Who } from './acl-cases.js'

const ids: Record<Who, Identity> = {
  node: { kind: 'node', nodeId: 'n1' },
  service: { kind: 'service', name: 'controller' },
}

describe('mayPublish', () => {
  it.each(publishCases('n1', 'n2'))(
    '%s publishing %s (retain %s) → %s',
    (who, topic, retain, allowed) => {
      expect(mayPublish(ids[who], topic, retain)).toBe(allowed)
    },
  )
})

describe('maySubscribe', () => {
  it.each(subscribeCases('n1', 'n2'))('%s subscribing to %s → %s', (who, filter, allowed) => {
    expect(maySubscribe(ids[who], filter)).toBe(allowed)
  })
})
