import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import type { TestController } from './controller.js'
import { tmpDir } from './tmp-dir.js'

/** Repository root. */
export const ROOT = join(import.meta.dirname, '..', '..')

/**
 * Node arguments that run a TypeScript entry point in ONE process. Not the `tsx` CLI: it runs
 * the script in a child node process, so a SIGKILL of the CLI leaves the real agent running,
 * still connected (tsx relays SIGTERM and SIGINT, but nothing can relay SIGKILL).
 */
export const NODE_TSX = ['--import', 'tsx']

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
  /** LOG_LEVEL of the child; default `info`. */
  logLevel?: string
}

/** Spawns an agent process with the null sink; the caller kills it (use in scripts). */
export function spawnAgentProcess(opts: AgentProcessOptions): AgentProcess {
  const args = [
    ...NODE_TSX,
    join(ROOT, 'speaker-agent', 'main.ts'),
    '--node-id',
    opts.nodeId,
    '--secret',
    opts.secret,
    '--broker',
    opts.brokerUrl,
    '--controller',
    opts.controllerUrl,
    '--sink',
    'null',
    '--data-dir',
    opts.dataDir,
    ...(opts.args ?? []),
  ]
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: opts.logLevel ?? 'info' },
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

/**
 * Registers a node through the controller's API and runs a real agent process for it, killed
 * (SIGKILL) when the test finishes if it is still running.
 */
export async function startAgentProcess(
  ctl: TestController,
  opts: { name?: string; args?: string[] } = {},
): Promise<AgentProcess> {
  const { id, secret } = await ctl.register(
    opts.name ?? `proc ${Math.random().toString(36).slice(2, 6)}`,
  )
  const p = spawnAgentProcess({
    nodeId: id,
    secret,
    brokerUrl: ctl.brokerUrl,
    controllerUrl: ctl.url,
    dataDir: tmpDir('chorus-agent-proc-'),
    ...(opts.args ? { args: opts.args } : {}),
  })
  onTestFinished(async () => {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
    await p.exited
  })
  return p
}
