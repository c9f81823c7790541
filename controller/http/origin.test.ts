import { describe, expect, it } from 'vitest'
import { sameOrigin } from './origin.js'

describe('sameOrigin', () => {
  it('matches the page served by this host, with its port', () => {
    expect(sameOrigin('http://127.0.0.1:8080', '127.0.0.1:8080')).toBe(true)
    expect(sameOrigin('https://Chorus.Local', 'chorus.local')).toBe(true)
  })

  it('matches the host a reverse proxy forwarded', () => {
    expect(sameOrigin('https://broadcast.gov.cn', '10.0.0.2:8080', 'broadcast.gov.cn')).toBe(true)
  })

  it('refuses another site, another port, and a missing or junk origin', () => {
    expect(sameOrigin('https://evil.example', 'chorus.local')).toBe(false)
    expect(sameOrigin('http://127.0.0.1:9999', '127.0.0.1:8080')).toBe(false)
    expect(sameOrigin(undefined, '127.0.0.1:8080')).toBe(false)
    expect(sameOrigin('null', '127.0.0.1:8080')).toBe(false)
    expect(sameOrigin('http://127.0.0.1:8080', undefined)).toBe(false)
  })
})
