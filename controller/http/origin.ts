/**
 * @module http/origin
 * The Origin check of requests that a browser makes with its session cookie but without a CSRF
 * header (a WebSocket upgrade cannot carry one): another site's page must not open the socket
 * with the user's cookie (cross-site WebSocket hijacking). Pure.
 */

/**
 * Whether `origin` (the request's Origin header) names the host the request was sent to: the
 * `host` header, or `x-forwarded-host` when a reverse proxy in front of the controller sets it.
 * A missing or unparsable origin does not match.
 */
export function sameOrigin(
  origin: string | undefined,
  host: string | undefined,
  forwardedHost?: string | undefined,
): boolean {
  if (!origin || !host) return false
  let originHost: string
  try {
    originHost = new URL(origin).host.toLowerCase()
  } catch {
    return false
  }
  const hosts = [host, ...(forwardedHost ? forwardedHost.split(',') : [])]
  return hosts.some((h) => h.trim().toLowerCase() === originHost)
}
