/**
 * @module security-headers
 * Response headers that confine the web UI in the browser: a Content Security Policy (scripts,
 * styles, images and connections from this origin only; no framing, no plugins, no foreign form
 * targets), no MIME sniffing, no referrer, and HSTS when the controller serves HTTPS.
 */
/**
 * The web UI's policy. It matches the `<meta>` policy in `web/index.html` and adds what a meta
 * policy cannot carry (`frame-ancestors`).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** One year: browsers then refuse plain HTTP to this host for that long. */
export const HSTS_MAX_AGE_SEC = 31_536_000

/** The headers added to every response (the API's JSON too: it costs nothing). */
export function securityHeaders(opts: { https: boolean }): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(opts.https ? { 'strict-transport-security': `max-age=${HSTS_MAX_AGE_SEC}` } : {}),
  }
}

/** Whether the static file server may send `path`: never a source map. */
export function servesStatic(path: string): boolean {
  return !path.toLowerCase().endsWith('.map')
}
