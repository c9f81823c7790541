import type { Config } from './config.js'

/** Where nodes reach the controller and the broker. */
export interface PublicUrls {
  controllerUrl: string
  brokerUrl: string
}

const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]'])

function hostFor(bound: string): string {
  const host = WILDCARD.has(bound) ? '127.0.0.1' : bound
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

/**
 * The addresses put into provisioning bundles: `publicControllerUrl` and `publicBrokerUrl` when
 * set, else derived from what the controller bound (127.0.0.1 for a wildcard address, which is
 * right only for agents on the same machine: real deployments set both). An external broker's
 * own URL is the default broker address; with TLS on, nodes are sent to the TLS port.
 */
export function publicUrls(p: {
  config: Pick<Config, 'publicControllerUrl' | 'publicBrokerUrl' | 'brokerUrl' | 'mqttHost'>
  httpUrl: string
  mqttPort: number | null
  mqttTlsPort: number | null
}): PublicUrls {
  const { config } = p
  const controllerUrl = config.publicControllerUrl.replace(/\/+$/, '') || p.httpUrl
  if (config.publicBrokerUrl !== '') return { controllerUrl, brokerUrl: config.publicBrokerUrl }
  if (config.brokerUrl !== '') return { controllerUrl, brokerUrl: config.brokerUrl }
  const host = hostFor(config.mqttHost)
  const brokerUrl =
    p.mqttTlsPort !== null ? `mqtts://${host}:${p.mqttTlsPort}` : `mqtt://${host}:${p.mqttPort}`
  return { controllerUrl, brokerUrl }
}
