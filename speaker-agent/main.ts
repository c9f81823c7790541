/**
 * Composition root of one speaker agent: `npm run agent -- --config node.json` (or flags), or
 * `--enroll <bundle>` on first boot; later starts find `<data-dir>/credentials.json`.
 * The only file of speaker-agent/ that reads process.argv and process.env.
 */
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import pino, { type LoggerOptions } from 'pino'
import { resolveFfmpegPath } from '../audio/index.js'
import { createAgent } from './agent.js'
import { CONFIG_FLAGS, loadNodeConfig, type NodeConfigFlags, renderHelp } from './config.js'
import { dataDirOf, loadCredentials, saveCredentials } from './credentials.js'
import { enroll, parseEnrollArg } from './enroll.js'
import { commandLineWarning, secretFrom } from './secret-source.js'

/** Exit code asking systemd (Restart=on-failure / RestartForceExitStatus=75) to restart us. */
export const EXIT_RESTART = 75

/** Logger options: JSON, or pino-pretty when stdout is a terminal and pino-pretty is installed. */
function loggerOptions(): LoggerOptions {
  const options: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    redact: ['secret', '*.secret', 'password', '*.password', 'config.secret', 'token', '*.token'],
  }
  if (process.stdout.isTTY) {
    try {
      import.meta.resolve('pino-pretty')
      options.transport = { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } }
    } catch {
      // pino-pretty is a dev dependency; production nodes log JSON.
    }
  }
  return options
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      config: { type: 'string' },
      enroll: { type: 'string' },
      'enroll-only': { type: 'boolean' },
      'secret-file': { type: 'string' },
      help: { type: 'boolean' },
      ...Object.fromEntries(Object.values(CONFIG_FLAGS).map((f) => [f, { type: 'string' }])),
    },
    strict: true,
  })
  if (values.help) {
    console.log(renderHelp())
    return
  }
  const flags: NodeConfigFlags = {}
  const given = values as Record<string, string | boolean | undefined>
  for (const [key, flag] of Object.entries(CONFIG_FLAGS)) {
    const value = given[flag]
    if (typeof value === 'string') flags[key as keyof NodeConfigFlags] = value
  }
  const file = values.config as string | undefined
  const log = pino(loggerOptions())
  const source = secretFrom({
    flag: flags.secret as string | undefined,
    file: values['secret-file'] as string | undefined,
    env: process.env.CHORUS_NODE_SECRET,
  })
  if (source.warning) log.warn(source.warning)
  if (source.secret !== undefined) flags.secret = source.secret
  const enrollArg = values.enroll as string | undefined
  if (enrollArg !== undefined && enrollArg !== '-' && !existsSync(enrollArg)) {
    log.warn(commandLineWarning('--enroll with a token or bundle JSON', 'give a bundle file or -'))
  }
  const dataDir = dataDirOf({ file, flag: flags.dataDir as string | undefined })
  if (typeof values.enroll === 'string') {
    const request = parseEnrollArg(values.enroll, {
      controllerUrl: flags.controllerUrl as string | undefined,
      nodeId: flags.nodeId as string | undefined,
    })
    const stored = await saveCredentials(dataDir, await enroll(request, { log }))
    log.info({ nodeId: request.nodeId, file: stored }, 'credentials stored')
    if (values['enroll-only']) return
  }
  const credentials = loadCredentials(dataDir)
  const config = loadNodeConfig({
    file,
    flags,
    stored: credentials && {
      nodeId: credentials.nodeId,
      secret: credentials.secret,
      brokerUrl: credentials.brokerUrl,
      controllerUrl: credentials.controllerUrl,
      ...(credentials.controllerKey ? { controllerKey: credentials.controllerKey } : {}),
      ...(credentials.caCert ? { caCert: credentials.caCert } : {}),
      ...(credentials.nodeKey ? { nodeKey: credentials.nodeKey } : {}),
    },
  })
  const ffmpegPath = resolveFfmpegPath(process.env)
  log.info({ ffmpegPath, credentials: credentials ? 'credentials.json' : 'config' }, 'starting')
  let exitCode = 0
  const agent = createAgent({
    config,
    log,
    ffmpegPath,
    onRestartRequested: () => {
      exitCode = EXIT_RESTART
      shutdown('restart command')
    },
  })
  let closing = false
  function shutdown(why: string): void {
    if (closing) return
    closing = true
    log.info({ why }, 'stopping')
    void agent
      .stop()
      .catch((err: unknown) => {
        log.error({ err }, 'stop failed')
        exitCode = exitCode || 1
      })
      .finally(() => {
        log.flush()
        process.exit(exitCode)
      })
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
  await agent.start()
}

void main().catch((err: unknown) => {
  console.error((err as Error).message ?? err)
  process.exit(1)
})
