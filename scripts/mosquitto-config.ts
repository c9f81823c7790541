/**
 * `npm run mosquitto:config -- --out ./mosquitto [--port 1883] [--address 127.0.0.1]
 * [--admin chorus-controller]`: writes a Mosquitto 2.0 configuration for Chorus with dynamic
 * security (docs/scaling.md, "Mosquitto"). The controller's password goes to
 * `<out>/controller-password` (0600) and is never printed.
 */
import { parseArgs } from 'node:util'
import { writeMosquittoConfig } from '../controller/mqtt/dynsec-config.js'

const USAGE =
  'Usage: npm run mosquitto:config -- --out DIR [--port 1883] [--address 127.0.0.1] [--admin chorus-controller] [--user mosquitto]'

function fail(message: string): never {
  console.error(`mosquitto:config: ${message}\n${USAGE}`)
  process.exit(2)
}

let values: { out?: string; port?: string; address?: string; admin?: string; user?: string }
try {
  ;({ values } = parseArgs({
    options: {
      out: { type: 'string' },
      port: { type: 'string', default: '1883' },
      address: { type: 'string', default: '127.0.0.1' },
      admin: { type: 'string', default: 'chorus-controller' },
      user: { type: 'string' },
    },
  }))
} catch (err) {
  fail((err as Error).message)
}
if (!values.out) fail('--out is required')
const port = Number(values.port)
if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`bad --port ${values.port}`)
try {
  const files = writeMosquittoConfig({
    out: values.out,
    port,
    address: values.address ?? '127.0.0.1',
    adminUsername: values.admin ?? 'chorus-controller',
    ...(values.user ? { user: values.user } : {}),
  })
  console.log(`wrote ${files.conf}\nwrote ${files.dynsecFile}\nwrote ${files.passwordFile} (0600)`)
  console.log(
    `run: mosquitto -c ${files.conf}\ncontroller: CHORUS_BROKER_URL=mqtt://${values.address}:${port} CHORUS_BROKER_USERNAME=${values.admin} CHORUS_BROKER_PASSWORD="$(cat ${files.passwordFile})" CHORUS_BROKER_DYNSEC=true`,
  )
} catch (err) {
  fail((err as Error).message)
}
