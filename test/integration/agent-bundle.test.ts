import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, sep } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { serviceNodeFlags } from '../../speaker-agent/testing/agent-process.js'
import { startController } from '../helpers/controller.js'
import { connectError, waitFor } from '../helpers/mqtt.js'
import { waitForPresence } from '../helpers/presence.js'
import { tmpDir } from '../helpers/tmp-dir.js'

const ROOT = join(import.meta.dirname, '..', '..')

/** Runs a command to its end; resolves with its exit code and output. */
async function run(
  command: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string },
) {
  const child = spawn(command, args, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stdin.end(opts.input ?? '')
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, out }
}

/** A node's environment: Node.js on PATH, and nothing of this repository's. */
function nodeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: tmpDir('chorus-node-home-'),
    LANG: 'C.UTF-8',
    ...extra,
  }
}

describe('the agent shipped on its own (npm run build:agent)', () => {
  it('builds, installs from a bare folder with a pasted bundle, enrolls, comes online, stops cleanly', async () => {
    // Build into a temporary directory, then copy ONLY that folder somewhere with no
    // node_modules above it: what an installer carries to the node.
    const build = join(tmpDir('chorus-build-'), 'agent')
    const built = await run(process.execPath, ['scripts/build-agent.mjs', '--out', build], {
      cwd: ROOT,
      env: process.env,
    })
    expect(built.code, built.out).toBe(0)
    const carried = join(tmpDir('chorus-carried-'), 'chorus-agent')
    cpSync(build, carried, { recursive: true })
    for (let dir = carried; dir !== dirname(dir); dir = dirname(dir)) {
      expect(existsSync(join(dir, 'node_modules')), `${dir}${sep}node_modules`).toBe(false)
    }
    const manifest = JSON.parse(readFileSync(join(carried, 'manifest.json'), 'utf8')) as {
      bundledPackages: string[]
      files: Record<string, { bytes: number }>
    }
    expect(manifest.bundledPackages).toEqual(expect.arrayContaining(['mqtt', 'pino', 'typebox']))
    expect(manifest.bundledPackages).not.toEqual(
      expect.arrayContaining(['better-sqlite3', 'fastify', 'aedes']),
    )
    expect(Object.keys(manifest.files).filter((f) => f.endsWith('.node'))).toEqual([])

    const ctl = await startController()
    await ctl.api('POST', '/api/zones', { name: '大堡子镇' })
    const reg = await ctl.api<{ id: string; secret: string; bundle: Record<string, unknown> }>(
      'POST',
      '/api/nodes',
      { name: '大堡子 3号', zone: '大堡子镇' },
    )
    expect(reg.status).toBe(201)

    // install.sh with the test overrides, the bundle pasted on standard input.
    const node = tmpDir('chorus-node-')
    const prefix = join(node, 'opt', 'chorus-agent')
    const dataDir = join(node, 'var', 'lib', 'chorus-agent')
    const configDir = join(node, 'etc', 'chorus-agent')
    const install = await run('sh', [join(carried, 'install.sh')], {
      cwd: node,
      env: nodeEnv({
        CHORUS_NO_SYSTEMD: '1',
        CHORUS_PREFIX: prefix,
        CHORUS_CONFIG_DIR: configDir,
        CHORUS_DATA_DIR: dataDir,
      }),
      input: JSON.stringify(reg.body.bundle),
    })
    expect(install.code, install.out).toBe(0)
    expect(install.out).toContain('enrolled')
    expect(install.out).not.toContain(reg.body.bundle.enrollmentToken as string)
    expect(statSync(join(dataDir, 'credentials.json')).mode & 0o777).toBe(0o600)
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(existsSync(join(configDir, 'node.json'))).toBe(true)
    const unit = readFileSync(join(prefix, 'chorus-agent.service'), 'utf8')
    // Node's flags as the service gives them (memory limits, --lite-mode), also in the command
    // install.sh prints for a start by hand.
    const flags = serviceNodeFlags(unit, process.execPath)
    expect(flags).toEqual(expect.arrayContaining(['--max-old-space-size=16', '--lite-mode']))
    expect(install.out).toContain(
      `${process.execPath} ${flags.join(' ')} ${prefix}/chorus-agent.mjs`,
    )
    expect(unit).toContain(`${prefix}/chorus-agent.mjs --config ${configDir}/node.json`)
    expect(unit).toContain(`ReadWritePaths=${dataDir}`)
    expect(unit).toMatch(/^RestartForceExitStatus=75$/m)
    // Enrolled: the registration secret no longer opens the broker.
    const refused = await connectError(ctl.brokerUrl, {
      clientId: reg.body.id,
      username: reg.body.id,
      password: reg.body.secret,
    })
    expect(refused?.message).toMatch(/bad username or password/i)

    // The agent as systemd runs it, with only --data-dir: its identity is in credentials.json.
    const agent = spawn(
      process.execPath,
      [...flags, join(prefix, 'chorus-agent.mjs'), '--data-dir', dataDir],
      { cwd: node, env: nodeEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    agent.stdout.on('data', (d: Buffer) => {
      out += d.toString()
    })
    agent.stderr.on('data', (d: Buffer) => {
      out += d.toString()
    })
    const exited = once(agent, 'exit') as Promise<[number | null, string | null]>
    onTestFinished(async () => {
      if (agent.exitCode === null && agent.signalCode === null) agent.kill('SIGKILL')
      await exited
    })
    await waitForPresence(ctl, [reg.body.id], true, 20_000)
    // Its HTTP works under those flags (the global fetch would need WebAssembly, which
    // --lite-mode turns off): the telemetry after connect carries a clock offset from GET /api/time.
    await waitFor(
      async () => {
        const t = await ctl.api<{ clockOffsetMs: number | null }>(
          'GET',
          `/api/nodes/${reg.body.id}/timing`,
        )
        return t.body.clockOffsetMs !== null
      },
      'a clock offset in the telemetry',
      20_000,
    )
    // ffmpeg came from bin/ beside the bundle, not from any npm package.
    const starting = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; ffmpegPath?: string })
      .find((l) => l.msg === 'starting')
    expect(starting?.ffmpegPath).toBe(join(prefix, 'bin', 'ffmpeg'))
    agent.kill('SIGTERM')
    const [code, signal] = await exited
    expect({ code, signal }, out).toEqual({ code: 0, signal: null })
    expect(out).toContain('agent stopped')
    await waitForPresence(ctl, [reg.body.id], false)

    // A newer build goes over an enrolled node without a bundle, keeping its identity.
    const credentials = readFileSync(join(dataDir, 'credentials.json'), 'utf8')
    const upgrade = await run('sh', [join(carried, 'install.sh'), '--upgrade'], {
      cwd: node,
      env: nodeEnv({
        CHORUS_NO_SYSTEMD: '1',
        CHORUS_PREFIX: prefix,
        CHORUS_CONFIG_DIR: configDir,
        CHORUS_DATA_DIR: dataDir,
      }),
    })
    expect(upgrade.code, upgrade.out).toBe(0)
    expect(readFileSync(join(dataDir, 'credentials.json'), 'utf8')).toBe(credentials)
  })
})
