import { describe, expect, it } from 'vitest'
import { relayFormOf, relayFormProblem, relayHost, relayItem } from './relay'

// The relay item (转播) form of the running-order editor.

const form = (over: Partial<Parameters<typeof relayFormProblem>[0]> = {}) => ({
  url: 'http://192.168.1.20:8000/county.mp3',
  start: '19:00',
  end: '19:30',
  title: '县台新闻',
  ...over,
})

describe('relay items in the editor', () => {
  it('takes the URLs the server takes and refuses the others before saving', () => {
    expect(relayFormProblem(form())).toBeNull()
    for (const url of ['rtsp://10.0.0.5/live', 'rtp://239.1.1.1:5004', 'udp://239.1.1.1:1234']) {
      expect(relayFormProblem(form({ url }))).toBeNull()
    }
    for (const url of [
      '',
      'ftp://10.0.0.5/a',
      'file:///etc/passwd',
      'http://u:p@10.0.0.5/x',
      'http://a b/',
    ]) {
      expect(relayFormProblem(form({ url }))).toBe('orders.relay.badUrl')
    }
  })

  it('wants a start, an end after it, on the same day', () => {
    expect(relayFormProblem(form({ start: 'seven' }))).toBe('orders.relay.badStart')
    expect(relayFormProblem(form({ end: '25:00' }))).toBe('orders.relay.badEnd')
    expect(relayFormProblem(form({ end: '19:00' }))).toBe('orders.relay.endBeforeStart')
    expect(relayFormProblem(form({ end: '18:00' }))).toBe('orders.relay.endBeforeStart')
  })

  it('makes an item without audio, with a free id, or changes the one edited', () => {
    const made = relayItem(form({ url: ' rtsp://10.0.0.5/live ' }), new Set(['t190000']))
    expect(made).toEqual({
      id: 't190000-2',
      start: '19:00:00',
      audioId: null,
      title: '县台新闻',
      relay: { url: 'rtsp://10.0.0.5/live', end: '19:30:00' },
    })
    const edited = relayItem(form({ end: '20:00' }), new Set(), { ...made, zones: ['z'] })
    expect(edited).toMatchObject({ id: 't190000-2', zones: ['z'], relay: { end: '20:00:00' } })
    expect(() => relayItem(form({ url: 'ftp://x/' }), new Set())).toThrow()
  })

  it('fills the form of an item, or a blank hour, and shows the host', () => {
    expect(relayFormOf(null, '23:30:00')).toEqual({
      url: '',
      start: '23:30:00',
      end: '23:59:59',
      title: '',
    })
    expect(relayFormOf(null)).toMatchObject({ start: '19:00:00', end: '20:00:00' })
    const item = {
      id: 'r',
      start: '07:00:00',
      audioId: null,
      title: 't',
      relay: { url: 'rtp://239.1.1.1:5004', end: '08:00:00' },
    }
    expect(relayFormOf(item)).toEqual({
      url: 'rtp://239.1.1.1:5004',
      start: '07:00:00',
      end: '08:00:00',
      title: 't',
    })
    expect(relayHost('http://192.168.1.20:8000/county.mp3')).toBe('192.168.1.20:8000')
    expect(relayHost('not a url')).toBe('not a url')
  })
})
