/**
 * The ACL's expected answers, shared by the pure test (`acl.test.ts`) and the EMQX hook test
 * (`test/integration/broker-hooks.test.ts`), so the embedded broker and EMQX cannot drift apart.
 * `n1` is the asking node, `n2` another node.
 */
export type Who = 'node' | 'service'

/** [who, topic, retain, allowed] */
export function publishCases(n1: string, n2: string): [Who, string, boolean, boolean][] {
  return [
    ['node', `chorus/v1/nodes/${n1}/status`, false, true],
    ['node', `chorus/v1/nodes/${n1}/events`, false, true],
    ['node', `chorus/v1/nodes/${n1}/telemetry`, false, true],
    ['node', `chorus/v1/nodes/${n1}/status`, true, false],
    ['node', `chorus/v1/nodes/${n1}/events`, true, false],
    ['node', `chorus/v1/nodes/${n1}/plan`, false, false],
    ['node', `chorus/v1/nodes/${n1}/cmd`, false, false],
    ['node', `chorus/v1/nodes/${n1}/receipt`, false, false],
    ['node', `chorus/v1/nodes/${n2}/receipt`, false, false],
    ['node', `chorus/v1/nodes/${n2}/status`, false, false],
    ['node', `chorus/v1/nodes/${n2}/events`, false, false],
    ['node', 'chorus/v1/fleet/rebirth', false, false],
    ['node', 'other/topic', false, false],
    ['node', '$SYS/x', false, false],
    ['service', `chorus/v1/nodes/${n2}/plan`, false, true],
    ['service', 'chorus/v1/fleet/rebirth', false, true],
    ['service', `chorus/v1/nodes/${n1}/receipt`, false, true],
    ['service', '$SYS/broker', false, false],
    ['service', 'elsewhere', false, false],
  ]
}

/** [who, filter, allowed] */
export function subscribeCases(n1: string, n2: string): [Who, string, boolean][] {
  return [
    ['node', `chorus/v1/nodes/${n1}/plan`, true],
    ['node', `chorus/v1/nodes/${n1}/cmd`, true],
    ['node', `chorus/v1/nodes/${n1}/receipt`, true],
    ['node', `chorus/v1/nodes/${n2}/receipt`, false],
    ['node', 'chorus/v1/nodes/+/receipt', false],
    ['node', 'chorus/v1/fleet/rebirth', true],
    ['node', `chorus/v1/nodes/${n1}/#`, false],
    ['node', `chorus/v1/nodes/${n1}/+`, false],
    ['node', `chorus/v1/nodes/${n1}/status`, false],
    ['node', `chorus/v1/nodes/${n2}/plan`, false],
    ['node', 'chorus/v1/nodes/+/plan', false],
    ['node', '#', false],
    ['node', '+/#', false],
    ['service', '#', true],
    ['service', 'chorus/v1/nodes/+/events', true],
  ]
}
