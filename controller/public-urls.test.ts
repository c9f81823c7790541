import { describe, expect, it } from 'vitest'
import { publicUrls } from './public-urls.js'

const config = { publicControllerUrl: '', publicBrokerUrl: '', brokerUrl: '', mqttHost: '0.0.0.0' }

describe('publicUrls', () => {
  it.each([
    ['0.0.0.0', 1883, null, 'mqtt://127.0.0.1:1883'],
    ['::', 1883, null, 'mqtt://127.0.0.1:1883'],
    ['192.168.1.10', 1883, null, 'mqtt://192.168.1.10:1883'],
    ['fd00::10', 1883, null, 'mqtt://[fd00::10]:1883'],
    ['0.0.0.0', 1883, 8883, 'mqtts://127.0.0.1:8883'],
    ['0.0.0.0', null, 8883, 'mqtts://127.0.0.1:8883'],
  ])('derives the broker from mqttHost %s, ports %s / %s: %s', (mqttHost, port, tls, want) => {
    const urls = publicUrls({
      config: { ...config, mqttHost },
      httpUrl: 'http://127.0.0.1:8080',
      mqttPort: port,
      mqttTlsPort: tls,
    })
    expect(urls).toEqual({ controllerUrl: 'http://127.0.0.1:8080', brokerUrl: want })
  })

  it('prefers the configured addresses, then an external broker', () => {
    const base = { httpUrl: 'http://127.0.0.1:8080', mqttPort: 1883, mqttTlsPort: null }
    expect(
      publicUrls({
        ...base,
        config: {
          ...config,
          publicControllerUrl: 'https://chorus.example.cn/',
          publicBrokerUrl: 'mqtts://mq.example.cn:8883',
          brokerUrl: 'mqtt://10.0.0.2:1883',
        },
      }),
    ).toEqual({
      controllerUrl: 'https://chorus.example.cn',
      brokerUrl: 'mqtts://mq.example.cn:8883',
    })
    expect(
      publicUrls({ ...base, config: { ...config, brokerUrl: 'mqtt://10.0.0.2:1883' } }),
    ).toEqual({ controllerUrl: 'http://127.0.0.1:8080', brokerUrl: 'mqtt://10.0.0.2:1883' })
  })
})
