/**
 * First boot of a node: exchange the one-time enrollment token of a provisioning bundle for the
 * node's long-lived credentials (`POST /api/enroll`), then store them (credentials.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import type { Logger } from 'pino'
import { type Static, Type } from 'typebox'
import { Value } from 'typebox/value'
import { NODE_ID_PATTERN } from '../protocol/index.js'
import type { StoredCredentials } from './credentials.js'
import { AGENT_ENROLL, AgentError } from './errors.js'
import { httpRequest } from './http-client.js'
import { generateNodeKeyPem, publicKeyPemOf } from './node-key.js'

/** The provisioning bundle the controller issues (JSON, or the QR code of that JSON). */
export const BundleSchema = Type.Object({
  v: Type.Literal(1),
  nodeId: Type.String({ pattern: NODE_ID_PATTERN }),
  brokerUrl: Type.String({ minLength: 1 }),
  controllerUrl: Type.String({ pattern: '^https?://.+' }),
  enrollmentToken: Type.String({ minLength: 1, maxLength: 256 }),
  expiresAt: Type.String(),
  caCert: Type.Union([Type.String(), Type.Null()]),
  controllerKey: Type.Optional(Type.String({ minLength: 1 })),
})

/** A provisioning bundle. */
export type Bundle = Static<typeof BundleSchema>

/** What an enrollment needs: whose token, which token, and where to send it. */
export interface EnrollRequest {
  nodeId: string
  token: string
  controllerUrl: string
  /** The broker the bundle names; the controller's answer names it too. */
  brokerUrl?: string
  /** From the bundle: the key plans and commands must be signed with, and the TLS CA. */
  controllerKey?: string
  caCert?: string | null
}

const TOKEN_RE = /^[A-Za-z0-9_-]{16,256}$/

function fail(message: string): never {
  throw new AgentError(AGENT_ENROLL, message)
}

function fromBundleText(text: string, where: string): Bundle {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    fail(`${where} is not valid JSON: ${(err as Error).message}`)
  }
  if (!Value.Check(BundleSchema, parsed)) {
    const e = Value.Errors(BundleSchema, parsed)[0]
    fail(`${where} is not a provisioning bundle (${e?.instancePath || '/'} ${e?.message ?? ''})`)
  }
  return parsed
}

/**
 * Reads `--enroll <arg>`: a file holding the bundle JSON (or a bare token), `-` for standard
 * input, the bundle JSON itself, or a bare token (then `controllerUrl` and `nodeId` are needed).
 * `controllerUrl` and `brokerUrl`, when given, win over the bundle's addresses (an installer
 * whose node reaches the controller by another address); a `nodeId` must match the bundle's.
 */
export function parseEnrollArg(
  arg: string,
  given: { controllerUrl?: string | undefined; nodeId?: string | undefined; stdin?: () => string },
): EnrollRequest {
  let text = arg.trim()
  let where = 'the --enroll value'
  if (arg === '-') {
    text = (given.stdin ?? (() => readFileSync(0, 'utf8')))().trim()
    where = 'standard input'
  } else if (!text.startsWith('{') && existsSync(arg) && statSync(arg).isFile()) {
    text = readFileSync(arg, 'utf8').trim()
    where = arg
  }
  if (text.startsWith('{')) {
    const bundle = fromBundleText(text, where)
    if (given.nodeId !== undefined && given.nodeId !== bundle.nodeId) {
      fail(`--node-id ${given.nodeId} does not match the bundle's node ${bundle.nodeId}`)
    }
    return {
      nodeId: bundle.nodeId,
      token: bundle.enrollmentToken,
      controllerUrl: given.controllerUrl ?? bundle.controllerUrl,
      brokerUrl: bundle.brokerUrl,
      ...(bundle.controllerKey ? { controllerKey: bundle.controllerKey } : {}),
      ...(bundle.caCert ? { caCert: bundle.caCert } : {}),
    }
  }
  if (!TOKEN_RE.test(text)) {
    fail(`${where} is neither a bundle file, bundle JSON nor an enrollment token`)
  }
  if (given.controllerUrl === undefined || given.nodeId === undefined) {
    fail('a bare enrollment token needs --controller URL and --node-id ID')
  }
  return { nodeId: given.nodeId, token: text, controllerUrl: given.controllerUrl }
}

/** Options of enroll(). */
export interface EnrollOptions {
  log: Logger
  /**
   * Sends the request; default {@link httpRequest} (not the global fetch, which needs
   * WebAssembly, absent under the service's `--lite-mode`). Tests pass a fake controller's.
   */
  fetch?: EnrollFetch
  /** Attempts when the controller is unreachable or answers 5xx (never after a 4xx). Default 3. */
  attempts?: number
  /** Pause between attempts, ms. Default 2000. */
  retryDelayMs?: number
  /** Per-request timeout, ms. Default 15000. */
  timeoutMs?: number
  now?: () => number
}

/** The part of `fetch` enrollment uses. */
export type EnrollFetch = (
  url: URL,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number; ok: boolean; text(): Promise<string> }>

const postWithHttp: EnrollFetch = (url, init) => httpRequest(url, init)

interface EnrollAnswer {
  nodeId?: unknown
  secret?: unknown
  brokerUrl?: unknown
  controllerUrl?: unknown
  code?: unknown
  message?: unknown
}

/**
 * `POST <controller>/api/enroll { nodeId, token, publicKey }` → the credentials to store (with the
 * node's new signing key). The controller
 * URL that worked is kept (it may be an installer's override of the bundle's); the broker URL
 * is the controller's answer. A refusal (used, expired, forged token) is not retried.
 */
export async function enroll(req: EnrollRequest, opts: EnrollOptions): Promise<StoredCredentials> {
  const doFetch = opts.fetch ?? postWithHttp
  const attempts = Math.max(1, opts.attempts ?? 3)
  const url = new URL('/api/enroll', req.controllerUrl)
  const log = opts.log.child({ module: 'enroll', nodeId: req.nodeId })
  // The node's own event-signing key: made here, its public half registered with the controller,
  // its private half kept only in credentials.json (mode 0600).
  const nodeKey = generateNodeKeyPem()
  const publicKey = publicKeyPemOf(nodeKey)
  let lastError = ''
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 2000))
    let res: Awaited<ReturnType<EnrollFetch>>
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nodeId: req.nodeId, token: req.token, publicKey }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      })
    } catch (err) {
      lastError = `cannot reach ${url.origin}: ${(err as Error).message}`
      log.warn({ attempt, attempts, url: url.href, err: (err as Error).message }, 'enroll failed')
      continue
    }
    const text = await res.text()
    let body: EnrollAnswer = {}
    try {
      body = JSON.parse(text) as EnrollAnswer
    } catch {
      // reported below with the status
    }
    if (res.status >= 500) {
      lastError = `${url.href} answered HTTP ${res.status}`
      log.warn({ attempt, attempts, status: res.status }, 'enroll failed')
      continue
    }
    if (!res.ok) {
      const code = typeof body.code === 'string' ? body.code : `HTTP ${res.status}`
      const message = typeof body.message === 'string' ? body.message : text.slice(0, 200)
      fail(`enrollment refused by ${url.origin} (${code}): ${message}`)
    }
    if (typeof body.secret !== 'string' || body.nodeId !== req.nodeId) {
      fail(`${url.href} answered without the credentials of ${req.nodeId}`)
    }
    const brokerUrl = typeof body.brokerUrl === 'string' ? body.brokerUrl : req.brokerUrl
    if (!brokerUrl) fail(`${url.href} answered without a broker URL`)
    log.info({ controller: url.origin, brokerUrl }, 'enrolled')
    return {
      v: 1,
      nodeId: req.nodeId,
      secret: body.secret,
      brokerUrl,
      controllerUrl: req.controllerUrl,
      enrolledAt: new Date(opts.now?.() ?? Date.now()).toISOString(),
      nodeKey,
      ...(req.controllerKey ? { controllerKey: req.controllerKey } : {}),
      ...(req.caCert ? { caCert: req.caCert } : {}),
    }
  }
  return fail(`enrollment failed after ${attempts} attempts: ${lastError}`)
}
