/**
 * Fleet simulator: registers N nodes through the controller's HTTP API and runs N real agents in
 * this one process (`npm run fleet -- --nodes 435`); see fleet/run.ts for what is simulated. Like
 * main.ts, this is a composition root: its CLI block is the only other place in speaker-agent/
 * that reads process.argv and process.env.
 */
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { resolveFfmpegPath } from '../audio/index.js'
import { runFleet } from './fleet/run.js'

export {
  FLEET_DEFAULT_ZONE,
  type Fleet,
  type FleetCounts,
  type FleetIdentity,
  type FleetOptions,
  runFleet,
} from './fleet/run.js'
export { deviationSummary, type ItemOutcome } from './fleet/tally.js'

/** Exit status when the broker refused every node's credentials (sysexits EX_CONFIG). */
export const EXIT_ALL_REFUSED = 78

/** The fleet's data directory: `--data-dir`, else `$CHORUS_DATA_DIR/fleet`, else `./data/fleet`. */
export function fleetDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(flag ?? join(env.CHORUS_DATA_DIR ?? './data', 'fleet'))
}

async function cli(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      nodes: { type: 'string', default: '435' },
      controller: { type: 'string', default: 'http://127.0.0.1:8080' },
      broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      sink: { type: 'string', default: 'sim' },
      'data-dir': { type: 'string' },
      'clock-error-ms': { type: 'string', default: '0' },
      zones: { type: 'string' },
      token: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(
      'Usage: npm run fleet -- [--nodes 435] [--controller URL] [--broker URL] [--sink sim]\n' +
        '         [--data-dir $CHORUS_DATA_DIR/fleet] [--zones a,b,c] [--clock-error-ms 0]\n' +
        '         [--token <API token>] (or CHORUS_TOKEN: installer or admin) [--verbose]\n' +
        '--sink sim (default) is the simulated output (one decode per file, first samples\n' +
        'stamped on the true clock); null, wav:<dir>, alsa:<dev> run one ffmpeg per node.\n' +
        '--clock-error-ms N sets each node clock wrong by up to ±N ms (clock sync corrects it).\n' +
        'Identities are kept per controller (by its signing key) under the data directory.',
    )
    return
  }
  const nodes = Number(values.nodes)
  if (!Number.isInteger(nodes) || nodes < 1) throw new Error('--nodes must be a positive integer')
  const clockErrorMs = Number(values['clock-error-ms'])
  if (!(clockErrorMs >= 0)) throw new Error('--clock-error-ms must be a number of ms, 0 or more')
  const log = pino({ level: values.verbose ? 'info' : 'warn', redact: ['*.secret', 'secret'] })
  const token = values.token ?? process.env.CHORUS_TOKEN
  const fleet = await runFleet({
    nodes,
    controllerUrl: values.controller,
    brokerUrl: values.broker,
    ...(token ? { token } : {}),
    sink: values.sink,
    dataDir: fleetDataDir(values['data-dir'], process.env),
    clockErrorMs,
    zones: values.zones
      ?.split(',')
      .map((z) => z.trim())
      .filter((z) => z !== ''),
    log,
    ffmpegPath: resolveFfmpegPath(process.env),
    onNotice: (line) => console.log(line),
    onSummary: (line, c) => {
      console.log(line)
      if (c.refused === c.nodes) {
        console.error(
          `fleet: the broker refused every node's credentials; stopping (exit ${EXIT_ALL_REFUSED})`,
        )
        void fleet.stop().finally(() => process.exit(EXIT_ALL_REFUSED))
      }
    },
  })
  console.log(`fleet: ${nodes} agents started; Ctrl-C stops them`)
  const stop = (): void => {
    void fleet
      .stop()
      .catch((err: unknown) => console.error(err))
      .finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void cli().catch((err: unknown) => {
    console.error((err as Error).message ?? err)
    process.exit(1)
  })
}
