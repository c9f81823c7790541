import type {
  Bundle,
  Command,
  CreatedNode,
  CreateNode,
  EnrollmentIssued,
  Node,
  Timing,
} from '../../../../../contract/index.js'

// The installer's pure parts (no DOM): the commissioning checklist (which steps of bringing a
// node into service have passed, from the node, its clock offset and its latest test tone),
// and the 配置包 as an image source and a file. Unit-tested by commission.test.ts.

export type { Bundle, Command, CreatedNode, CreateNode, EnrollmentIssued, Node, Timing }

/** The steps, in the order an installer goes through them. */
export const STEPS = ['enrolled', 'online', 'clock', 'plan', 'tone'] as const

/** One step. */
export type StepKey = (typeof STEPS)[number]

/** done: passed; wait: not yet (it may pass by itself); fail: needs the installer; todo: an action. */
export type StepState = 'done' | 'wait' | 'fail' | 'todo'

/** A clock within this of the controller's counts as in sync (docs: plays start within 1 s). */
export const CLOCK_MAX_MS = 1000

/** What the checklist is computed from. */
export interface CheckInput {
  node: Node | null
  /** The latest telemetry's clock offset (GET /api/nodes/:id/timing), if any. */
  clockOffsetMs: number | null
  /** The latest test tone sent since the node was (re-)enrolled, if any. */
  tone: Command | null
}

/** A step's state, and the numbers its line shows. */
export interface Step {
  key: StepKey
  state: StepState
  offsetMs?: number
}

/** The checklist: every step, and whether the node counts as in service (all done). */
export function checklist(input: CheckInput): { steps: Step[]; inService: boolean } {
  const n = input.node
  const live = n?.online === true && !n.retiredAt
  const steps: Step[] = STEPS.map((key) => ({ key, state: 'wait' }))
  const set = (key: StepKey, state: StepState, extra: Partial<Step> = {}) => {
    const s = steps.find((x) => x.key === key)
    if (s) Object.assign(s, { state, ...extra })
  }
  if (n?.retiredAt) {
    for (const s of steps) s.state = 'fail'
    return { steps, inService: false }
  }
  if (n?.enrolledAt) set('enrolled', 'done')
  if (live) set('online', 'done')

  const clockReason = n?.degradedReasons.some((r) => r.code === 'clock') ?? false
  const offset = input.clockOffsetMs
  if (live && offset !== null) {
    const ok = Math.abs(offset) <= CLOCK_MAX_MS && !clockReason
    set('clock', ok ? 'done' : 'fail', { offsetMs: offset })
  } else if (live && clockReason) {
    set('clock', 'fail')
  }

  if (n && live && n.appliedPlanVersion && n.appliedPlanVersion === n.planVersion) {
    set('plan', 'done')
  }

  const tone = input.tone
  if (tone?.status === 'ok') set('tone', 'done')
  else if (tone?.status === 'error' || tone?.status === 'expired') set('tone', 'fail')
  else if (!tone && live) set('tone', 'todo')

  return { steps, inService: steps.every((s) => s.state === 'done') }
}

/**
 * The test tone that counts: the newest `testTone` to this node issued after it last enrolled
 * or was replaced (a tone played by the old hardware proves nothing about the new one).
 */
export function latestTone(
  commands: Iterable<Command>,
  node: Pick<Node, 'id' | 'enrolledAt' | 'replacedAt' | 'createdAt'> | null,
): Command | null {
  if (!node) return null
  const after = [node.enrolledAt, node.replacedAt, node.createdAt]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => Date.parse(v))
    .reduce((a, b) => Math.max(a, b), 0)
  let best: Command | null = null
  for (const c of commands) {
    if (c.nodeId !== node.id || c.kind !== 'testTone') continue
    const at = Date.parse(c.issuedAt)
    if (at < after) continue
    if (!best || at >= Date.parse(best.issuedAt)) best = c
  }
  return best
}

/**
 * The server's QR code SVG as an image source. An SVG shown through `<img>` runs no script and
 * loads nothing, so the markup from the controller cannot touch the page; the CSP allows data:
 * images.
 */
export function qrSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/** The 配置包 as the file an agent enrolls with (`install.sh bundle.json`). */
export function bundleJson(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`
}

/** The fields of the registration form, as typed. */
export interface RegisterForm {
  name: string
  zone: string
  serial: string
  notes: string
}

/** What is missing before the form can be sent, or null. */
export function registerProblem(f: RegisterForm): 'needName' | 'needZone' | null {
  if (!f.name.trim()) return 'needName'
  if (!f.zone) return 'needZone'
  return null
}

/** The body of POST /api/nodes: trimmed, empty optional fields left out. */
export function registerBody(
  f: RegisterForm,
  position: { lat: number; lon: number } | null,
): CreateNode {
  const body: CreateNode = { name: f.name.trim(), zone: f.zone }
  if (position) {
    body.lat = position.lat
    body.lon = position.lon
  }
  if (f.serial.trim()) body.serial = f.serial.trim()
  if (f.notes.trim()) body.notes = f.notes.trim()
  return body
}

/** The node part of a registration's answer (without the secret and the 配置包). */
export function nodeOf(created: CreatedNode): Node {
  const { secret: _secret, bundle: _bundle, bundleQr: _qr, ...node } = created
  return node
}
