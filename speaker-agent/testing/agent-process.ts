import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Repository root. */
export const ROOT = join(import.meta.dirname, '..', '..')

/**
 * Node arguments that run a TypeScript entry point in ONE process. Not the `tsx` CLI: it runs
 * the script in a child node process, so a SIGKILL of the CLI leaves the real agent running,
 * still connected (tsx relays SIGTERM and SIGINT, but nothing can relay SIGKILL).
 */
export const NODE_TSX = ['--import', 'tsx']

/**
 * Node's flags in a `chorus-agent.service` unit's ExecStart line, between the node binary
 * (`@NODE@` in the shipped file, the path install.sh put there in an installed one) and
 * `chorus-agent.mjs`: what tests and benches run the bundle with, as a node does.
 */
export function serviceNodeFlags(unit: string, node = '@NODE@'): string[] {
  const line = unit.split('\n').find((l) => l.startsWith(`ExecStart=${node} `))
  const flags = line?.slice(`ExecStart=${node} `.length).split(' ')
  const at = flags?.findIndex((f) => f.endsWith('/chorus-agent.mjs')) ?? -1
  if (!flags || at < 0) throw new Error(`no ExecStart=${node} … chorus-agent.mjs line in the unit`)
  return flags.slice(0, at)
}

/** The flags of the shipped unit, `speaker-agent/install/chorus-agent.service`. */
export function shippedNodeFlags(): string[] {
  return serviceNodeFlags(
    readFileSync(join(ROOT, 'speaker-agent', 'install', 'chorus-agent.service'), 'utf8'),
  )
}

/** A speaker agent running as its own process (`node --import tsx speaker-agent/main.ts`). */
export interface AgentProcess {
  child: ChildProcess
  nodeId: string
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>
}

/** Where and as whom the agent process connects. */
export interface AgentProcessOptions {
  nodeId: string
  secret: string
  brokerUrl: string
  controllerUrl: string
  dataDir: string
  /** More flags, e.g. `['--keepalive-sec', '5']`. */
  args?: string[]
  /** Audio sink; `null` unless given (e.g. `wav:<dir>`). */
  sink?: string
  /** The whole environment instead of the inherited one (e.g. it plus libfaketime's `LD_PRELOAD`). */
  env?: Record<string, string>
  /**
   * Node's arguments before the agent's flags; default `--import tsx speaker-agent/main.ts`.
   * E.g. the bundle as a node runs it: `['--max-old-space-size=16', 'dist/agent/chorus-agent.mjs']`.
   */
  entry?: string[]
}

/**
 * Spawns an agent process with the null sink unless told (environment inherited unless `env` is given); the secret goes in a 0600
 * file in its data directory (`--secret-file`), never on the command line, where `ps` shows it.
 * The caller kills it.
 */
export function spawnAgentProcess(opts: AgentProcessOptions): AgentProcess {
  // `--flag=value`: a value may start with '-', which parseArgs would take for a flag.
  mkdirSync(opts.dataDir, { recursive: true })
  const secretFile = join(opts.dataDir, 'secret')
  writeFileSync(secretFile, `${opts.secret}\n`, { mode: 0o600 })
  const flags = {
    'node-id': opts.nodeId,
    'secret-file': secretFile,
    broker: opts.brokerUrl,
    controller: opts.controllerUrl,
    sink: opts.sink ?? 'null',
    'data-dir': opts.dataDir,
  }
  const args = [
    ...(opts.entry ?? [...NODE_TSX, join(ROOT, 'speaker-agent', 'main.ts')]),
    ...Object.entries(flags).map(([flag, value]) => `--${flag}=${value}`),
    ...(opts.args ?? []),
  ]
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    ...(opts.env ? { env: opts.env } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const append = (d: Buffer) => {
    out += d.toString()
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string)
  return { child, nodeId: opts.nodeId, output: () => out, exited }
}
