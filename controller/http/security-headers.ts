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

/**
 * The policy with one more origin the browser may load images from and connect to: the
 * intranet tile service of the map (`--map-tile-url`), when one is configured.
 */
export function policyWithTiles(tileUrl: string): string {
  if (!tileUrl) return CONTENT_SECURITY_POLICY
  const origin = new URL(tileUrl.replace(/\{[xyz]\}/g, '0')).origin
  return CONTENT_SECURITY_POLICY.replace(
    "img-src 'self' data:",
    `img-src 'self' data: ${origin}`,
  ).replace("connect-src 'self'", `connect-src 'self' ${origin}`)
}

/** The headers added to every response (the API's JSON too: it costs nothing). */
export function securityHeaders(opts: {
  https: boolean
  tileUrl?: string
}): Record<string, string> {
  return {
    'content-security-policy': policyWithTiles(opts.tileUrl ?? ''),
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

/** One year: the longest a browser keeps a file whose name changes with its content. */
export const IMMUTABLE_MAX_AGE_SEC = 31_536_000

/**
 * The Cache-Control of a static file, when it differs from the default (`public, max-age=0`,
 * revalidated with its ETag, as `index.html` needs): the UI's assets (`assets/`, MapLibre's
 * `.mjs` worker too) carry a content hash in their name, so they never change and are kept.
 */
export function staticCacheControl(path: string): string | null {
  const p = path.replaceAll('\\', '/')
  return /\/assets\/[^/]+-[\w-]{8}\.(m?js|css)$/.test(p)
    ? `public, max-age=${IMMUTABLE_MAX_AGE_SEC}, immutable`
    : null
}
