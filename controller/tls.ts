import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import forge from 'node-forge'

/** PEM material a TLS listener needs, plus the CA agents must trust. */
export interface TlsMaterial {
  cert: string
  key: string
  ca: string
  /** Where the CA certificate is on disk (it goes into provisioning bundles). */
  caFile: string
  /** True when the controller generated this material itself. */
  generated: boolean
}

const CA_YEARS = 10
const SERVER_YEARS = 2

function rsaKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  return {
    pem: privateKey,
    priv: forge.pki.privateKeyFromPem(privateKey),
    pub: forge.pki.publicKeyFromPem(publicKey),
  }
}

function baseCert(pub: forge.pki.PublicKey, years: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = pub
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`
  cert.validity.notBefore = new Date(Date.now() - 3_600_000)
  cert.validity.notAfter = new Date(Date.now() + years * 365 * 86_400_000)
  return cert
}

/**
 * Generates a private CA and a server certificate signed by it, for closed networks without a
 * PKI. `hostnames` (names and IP addresses) go into the certificate's subject alternative names,
 * always with localhost and 127.0.0.1.
 */
export function generateTlsMaterial(hostnames: readonly string[]) {
  const caKey = rsaKey()
  const ca = baseCert(caKey.pub, CA_YEARS)
  const caSubject = [
    { name: 'commonName', value: 'Chorus controller CA' },
    { name: 'organizationName', value: 'Chorus' },
  ]
  ca.setSubject(caSubject)
  ca.setIssuer(caSubject)
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  ca.sign(caKey.priv, forge.md.sha256.create())

  const serverKey = rsaKey()
  const server = baseCert(serverKey.pub, SERVER_YEARS)
  server.setSubject([{ name: 'commonName', value: hostnames[0] ?? 'localhost' }])
  server.setIssuer(caSubject)
  const names = [...new Set(['localhost', '127.0.0.1', ...hostnames])]
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: names.map((n) =>
        /^[\d.]+$|:/.test(n) ? { type: 7, ip: n } : { type: 2, value: n },
      ),
    },
  ])
  server.sign(caKey.priv, forge.md.sha256.create())
  return {
    ca: forge.pki.certificateToPem(ca),
    caKey: caKey.pem,
    cert: forge.pki.certificateToPem(server),
    key: serverKey.pem,
  }
}

/**
 * The controller's TLS material: the configured files when given, otherwise a CA and server
 * certificate generated on first start in `<dataDir>/tls/` (key files mode 0600) and reused.
 */
export function loadTlsMaterial(opts: {
  dataDir: string
  certFile: string
  keyFile: string
  caFile: string
  hostnames: readonly string[]
}): TlsMaterial {
  if (opts.certFile || opts.keyFile) {
    if (!opts.certFile || !opts.keyFile) {
      throw new Error('TLS needs both CHORUS_TLS_CERT_FILE and CHORUS_TLS_KEY_FILE')
    }
    const cert = readFileSync(opts.certFile, 'utf8')
    const caFile = opts.caFile || opts.certFile
    return {
      cert,
      key: readFileSync(opts.keyFile, 'utf8'),
      ca: readFileSync(caFile, 'utf8'),
      caFile,
      generated: false,
    }
  }
  const dir = join(opts.dataDir, 'tls')
  const files = {
    ca: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server-key.pem'),
  }
  if (!existsSync(files.cert) || !existsSync(files.key) || !existsSync(files.ca)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const m = generateTlsMaterial(opts.hostnames.length > 0 ? opts.hostnames : [hostname()])
    writeFileSync(files.ca, m.ca, { mode: 0o600 })
    writeFileSync(files.caKey, m.caKey, { mode: 0o600 })
    writeFileSync(files.cert, m.cert, { mode: 0o600 })
    writeFileSync(files.key, m.key, { mode: 0o600 })
  }
  const cert = readFileSync(files.cert, 'utf8')
  // Fail early and clearly on a damaged file rather than at the first handshake.
  new X509Certificate(cert)
  return {
    cert,
    key: readFileSync(files.key, 'utf8'),
    ca: readFileSync(files.ca, 'utf8'),
    caFile: files.ca,
    generated: true,
  }
}
