// Builds the speaker agent for nodes (npm run build:agent): a self-contained folder that needs
// only Node.js 20 on the node: no npm install, no node_modules, no compiler (docs/node-install.md).
//
//   dist/agent/chorus-agent.mjs           the agent and every npm dependency, one ESM file
//   dist/agent/chorus-agent.mjs.LEGAL.txt licences of the bundled packages
//   dist/agent/bin/ffmpeg (+ ffmpeg.txt)  the build machine's ffmpeg from @ffmpeg-installer
//   dist/agent/install.sh, chorus-agent.service, node.json.example, manifest.json
//
// Options: --out DIR (default dist/agent), --ffmpeg FILE (ship this binary instead, e.g. an
// arm64 build), --no-ffmpeg (ship none: the node uses FFMPEG_PATH or ffmpeg on PATH).

import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { chmod, copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as esbuild from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'dist', 'agent') },
    ffmpeg: { type: 'string' },
    'no-ffmpeg': { type: 'boolean', default: false },
  },
})
const out = resolve(values.out)
const started = Date.now()

// Packages that must never reach a node: native addons, and the controller's own stack.
const FORBIDDEN = [
  'better-sqlite3',
  'bufferutil',
  'utf-8-validate',
  'fsevents',
  'aedes',
  'fastify',
  'pino-pretty',
  'thread-stream',
]

function fail(message) {
  console.error(`build-agent: ${message}`)
  process.exit(1)
}

// A previous build is replaced; any other non-empty directory is left alone.
if (existsSync(out)) {
  const entries = await readdir(out)
  if (entries.length > 0 && !entries.includes('manifest.json')) {
    fail(`${out} is not empty and holds no previous build; choose another --out`)
  }
  await rm(out, { recursive: true, force: true })
}
await mkdir(join(out, 'bin'), { recursive: true })

// pino requires thread-stream for its worker-thread transports (pino-pretty, files), which the
// agent never uses on a node: it logs JSON lines to stdout, for journald. A stub takes its place,
// so nothing that starts worker threads is shipped.
const noWorkerTransports = {
  name: 'no-worker-transports',
  setup(build) {
    build.onResolve({ filter: /^thread-stream$/ }, () => ({
      path: 'thread-stream',
      namespace: 'stub',
    }))
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        'module.exports = class ThreadStream { constructor () { throw new Error(' +
        "'pino transports are not available in the node bundle: it logs JSON to stdout') } }",
      loader: 'js',
    }))
  },
}

// mqtt.js loads every transport it knows at the first connect (WebSocket with `ws`, which loads
// zlib and https; TLS; SOCKS, which loads `socks`, `ip-address` and dns), about 2 MB of a node's
// resident memory (docs/benchmarks.md, session 6). Rewritten so that each loads when a URL of
// its kind is used: a node on mqtt:// loads only `net`. A pattern no longer found (mqtt.js
// changed) fails the build instead of shipping the eager version unnoticed.
const LAZY_MQTT_TRANSPORTS = {
  'build/lib/connect/index.js': [
    [
      "protocols.ws = require('./ws').streamBuilder;",
      "protocols.ws = (c, o) => require('./ws').streamBuilder(c, o);",
    ],
    [
      "protocols.wss = require('./ws').streamBuilder;",
      "protocols.wss = (c, o) => require('./ws').streamBuilder(c, o);",
    ],
    [
      "protocols.ssl = require('./tls').default;",
      "protocols.ssl = (c, o) => require('./tls').default(c, o);",
    ],
    [
      "protocols.mqtts = require('./tls').default;",
      "protocols.mqtts = (c, o) => require('./tls').default(c, o);",
    ],
  ],
  'build/lib/connect/tcp.js': [
    [
      'const socks_1 = __importDefault(require("./socks"));',
      'const socks_1 = { get default() { return __importDefault(require("./socks")).default; } };',
    ],
  ],
}
const lazyMqttTransports = {
  name: 'lazy-mqtt-transports',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]node_modules[\\/]mqtt[\\/]build[\\/]lib[\\/]connect[\\/](index|tcp)\.js$/ },
      (args) => {
        const key = Object.keys(LAZY_MQTT_TRANSPORTS).find((k) => args.path.endsWith(k))
        let contents = readFileSync(args.path, 'utf8')
        for (const [from, to] of LAZY_MQTT_TRANSPORTS[key]) {
          if (!contents.includes(from)) fail(`mqtt.js changed: "${from}" not found in ${args.path}`)
          contents = contents.replaceAll(from, to)
        }
        return { contents, loader: 'js' }
      },
    )
  },
}

const result = await esbuild.build({
  entryPoints: [join(root, 'speaker-agent', 'main.ts')],
  outfile: join(out, 'chorus-agent.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // CommonJS packages inside an ESM bundle still call require() for Node built-ins.
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __chorusCreateRequire } from 'node:module';",
      'const require = __chorusCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  // ws tries these optional native addons inside try/catch; the node runs without them.
  external: ['bufferutil', 'utf-8-validate'],
  plugins: [noWorkerTransports, lazyMqttTransports],
  minifySyntax: true,
  minifyWhitespace: true,
  keepNames: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
})

// Nothing native, nothing of the controller's: check what went in.
const inputs = Object.keys(result.metafile.inputs)
const bad = inputs.filter(
  (p) =>
    p.endsWith('.node') ||
    /^(controller|broker)\//.test(p) ||
    FORBIDDEN.some((name) => p.includes(`node_modules/${name}/`)),
)
if (bad.length > 0) fail(`the bundle must not contain:\n  ${bad.join('\n  ')}`)
const packages = new Set(
  inputs
    .map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1])
    .filter((p) => p !== undefined),
)

// ffmpeg for the build machine's platform (nodes of another architecture bring their own).
let ffmpeg = null
if (!values['no-ffmpeg']) {
  let source = values.ffmpeg
  let origin = source ? `given with --ffmpeg (${source})` : ''
  if (!source) {
    try {
      const installer = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg')
      source = installer.path
      const platform = `${process.platform}-${process.arch}`
      origin = `@ffmpeg-installer/${platform} (ffmpeg ${installer.version}, ${installer.url}), GPLv3`
    } catch (err) {
      console.warn(`build-agent: no ffmpeg for this platform (${err}); shipping none`)
    }
  }
  if (source) {
    if (!existsSync(source)) fail(`no ffmpeg at ${source}`)
    await copyFile(source, join(out, 'bin', 'ffmpeg'))
    await chmod(join(out, 'bin', 'ffmpeg'), 0o755)
    await writeFile(
      join(out, 'bin', 'ffmpeg.txt'),
      `ffmpeg binary ${origin}.\nBuilt for ${process.platform}-${process.arch}: a node of ` +
        'another architecture uses FFMPEG_PATH or ffmpeg on PATH instead.\n',
    )
    ffmpeg = `${process.platform}-${process.arch}`
  }
}

const install = join(root, 'speaker-agent', 'install')
await copyFile(join(install, 'install.sh'), join(out, 'install.sh'))
await chmod(join(out, 'install.sh'), 0o755)
await copyFile(join(install, 'chorus-agent.service'), join(out, 'chorus-agent.service'))
await copyFile(join(install, 'node.json.example'), join(out, 'node.json.example'))

async function listFiles(dir) {
  const files = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...(await listFiles(full)))
    else files.push(full)
  }
  return files.sort()
}
const files = {}
for (const file of await listFiles(out)) {
  files[relative(out, file)] = {
    bytes: (await stat(file)).size,
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
  }
}
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
const manifest = {
  name: 'chorus-agent',
  version,
  builtAt: new Date().toISOString(),
  node: '>=20',
  ffmpeg,
  bundledPackages: [...packages].sort(),
  files,
}
await writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)

const kb = (f) => Math.round((files[f]?.bytes ?? 0) / 1024)
console.log(
  `build-agent: ${out} built in ${Date.now() - started} ms (chorus-agent.mjs ${kb('chorus-agent.mjs')} KB, ` +
    `${packages.size} packages inlined, ffmpeg ${ffmpeg ?? 'not shipped'})`,
)
