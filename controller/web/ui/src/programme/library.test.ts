import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import type { Translate } from '../api/errors'
import {
  audioErrorText,
  filtersOf,
  libraryQuery,
  lufs,
  mmss,
  queryOf,
  sizeText,
  titleOf,
  usageText,
} from './library'
import zh from './library.messages.zh.json'

// The recordings page's words and queries, with the page's own Chinese messages.
const frame: Record<string, string> = {
  'common.listSep': '，',
  'error.FORBIDDEN': '你的角色无权执行此操作',
}
const t: Translate = (key, vars = {}) => {
  const raw = (zh as Record<string, string>)[key] ?? frame[key]
  if (raw === undefined) return key
  return raw.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`))
}

describe('recordings page helpers', () => {
  it('says durations, loudness and sizes as the table shows them', () => {
    expect(mmss(2000)).toBe('0:02')
    expect(mmss(125_400)).toBe('2:05')
    expect(mmss(3_725_000)).toBe('1:02:05')
    expect(lufs(-23.456, '—')).toBe('-23.5')
    expect(lufs(null, '—')).toBe('—')
    expect(sizeText(300)).toBe('1 KB')
    expect(sizeText(348_160)).toBe('340 KB')
    expect(sizeText(2.5 * 1024 * 1024)).toBe('2.5 MB')
    expect(titleOf('早间新闻.final.mp3')).toBe('早间新闻.final')
  })

  it('says where a recording is used, and that it is used nowhere', () => {
    const none = { templates: [], dates: [], announcements: [], orders: [] }
    expect(usageText(none, t)).toBe('未被使用')
    expect(
      usageText(
        {
          templates: ['working', 'rest'],
          dates: ['2026-12-07', '2026-12-08'],
          announcements: [{ id: 'a1', title: '停水通知', date: '2026-12-07' }],
          orders: [
            { date: '2026-12-07', zoneId: null, zoneName: null },
            { date: '2026-12-08', zoneId: 'z-town', zoneName: '二十里铺镇' },
          ],
        },
        t,
      ),
    ).toBe(
      '工作日模板，休息日模板；2026-12-07，2026-12-08 的节目单；其中区域节目单 二十里铺镇（2026-12-08）；插播 停水通知（2026-12-07）',
    )
  })

  it('words a refused delete by where the recording is used, and a refused file by why', () => {
    const inUse = new ApiError(
      409,
      '"x" is still used by the working-day template',
      'AUDIO_IN_USE',
      {
        templates: ['working'],
        dates: [],
        announcements: [],
        orders: [],
      },
    )
    expect(audioErrorText(inUse, t)).toBe('仍在使用：工作日模板')
    const elsewhere = new ApiError(409, 'in use', 'AUDIO_IN_USE', {
      templates: [],
      dates: ['2026-12-07'],
      announcements: [],
      orders: [],
      elsewhere: 2,
    })
    expect(audioErrorText(elsewhere, t)).toBe('仍在使用：2026-12-07 的节目单；另有其他区域 2 处')
    const notAudio = new ApiError(422, 'the file is not an audio recording', 'AUDIO_INVALID', {
      code: 'AUDIO_NOT_AUDIO',
    })
    expect(audioErrorText(notAudio, t)).toBe('不是可用的音频：文件不是音频')
    const cut = new ApiError(422, 'the file is incomplete: it was cut off', 'AUDIO_INVALID', {})
    expect(audioErrorText(cut, t)).toBe('不是可用的音频：文件不完整（传输中被截断），请重新上传')
    const long = new ApiError(
      422,
      'the recording is 90 minutes long; the limit is 60',
      'AUDIO_INVALID',
    )
    expect(audioErrorText(long, t)).toBe('不是可用的音频：录音太长（90 分钟，上限 60 分钟）')
    const unknown = new ApiError(422, 'something new', 'AUDIO_INVALID', { code: 'AUDIO_NEW' })
    expect(audioErrorText(unknown, t)).toBe('不是可用的音频：something new')
    // Other codes: the frame's words, else the server's message.
    expect(audioErrorText(new ApiError(403, 'no', 'FORBIDDEN'), t)).toBe('你的角色无权执行此操作')
    expect(audioErrorText(new ApiError(500, 'boom', 'INTERNAL'), t)).toBe('boom')
  })

  it('builds the library query and keeps only the filters set in the address', () => {
    expect(libraryQuery({ q: ' 新闻 ', column: 'none', silent: 'true' }, 0)).toBe(
      'q=%E6%96%B0%E9%97%BB&column=none&silent=true&limit=50',
    )
    expect(libraryQuery({ q: '', column: '', silent: '' }, 2, 20)).toBe('limit=20&offset=40')
    expect(filtersOf({ q: '早', column: 'c-1', silent: 'maybe', other: 'x' })).toEqual({
      q: '早',
      column: 'c-1',
      silent: '',
    })
    expect(queryOf({ q: ' ', column: '', silent: 'false' })).toEqual({ silent: 'false' })
  })
})
