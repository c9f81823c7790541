import { resolveFfmpegPath } from '../audio/index.js'
import { ConfigError, loadConfig, renderHelp } from './config.js'
import { createController } from './controller.js'
import { createLogger } from './logger.js'
import { systemClock } from './platform/index.js'

// The composition root: the only controller file that reads process.env and process.argv.
let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.argv.slice(2), process.env)
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message)
    console.error('\nRun with --help to see every option.')
    process.exit(2)
  }
  throw err
}
if ('help' in config) {
  console.log(renderHelp())
  process.exit(0)
}

const log = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY })
// Uploads are untrusted input: prefer a maintained system ffmpeg over the 2018 npm build
// (FFMPEG_PATH still wins; audio/README.md).
const ffmpegPath = resolveFfmpegPath(process.env, { preferSystem: true })
log.info({ ffmpegPath }, 'ffmpeg')
const controller = createController({ config, log, ffmpegPath })

let stopping = false
let failed = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'shutting down')
  // Every way out of here ends in process.exit, so this timer need not let the process go.
  systemClock.after(10_000, () => {
    log.error('shutdown took longer than 10 s; exiting')
    process.exit(1)
  })
  try {
    await controller.stop()
    process.exit(failed ? 1 : 0)
  } catch (err) {
    log.error({ err }, 'shutdown failed')
    process.exit(1)
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
// Anything unexpected: log it and stop cleanly (bounded by the 10 s above), with exit code 1,
// rather than dying in the middle of a write. The service manager restarts the controller.
// A second one during that stop is logged; the stop already under way decides the exit.
function fatal(kind: string, err: unknown): void {
  log.fatal({ err, kind }, 'unexpected error: stopping the controller')
  failed = true
  void shutdown(kind)
}
process.on('uncaughtException', (err) => fatal('uncaughtException', err))
process.on('unhandledRejection', (reason) => fatal('unhandledRejection', reason))

try {
  const started = await controller.start()
  console.log(`Chorus controller ready: web UI ${started.httpUrl}/  MQTT ${started.brokerUrl}`)
  // Printed here, on stdout, never in the JSON log, and only on the start that created it.
  if (started.adminPassword) {
    console.log(
      `First start: log in as "admin" with the password ${started.adminPassword}\n` +
        '(shown only this once; it is stored only as a hash; change it after logging in)',
    )
  }
} catch (err) {
  log.fatal({ err }, 'controller failed to start')
  await controller.stop().catch(() => undefined)
  process.exit(1)
}
