import { describe, expect, it } from 'vitest'
import { outcomeOf, type PlayEventLike } from './play-outcome.js'

const started: PlayEventLike = { type: 'play.started', reason: null, body: { at: 'S' } }
const finished = (rmsDb: number | null, extra: Record<string, unknown> = {}): PlayEventLike => ({
  type: 'play.finished',
  reason: null,
  body: { playedMs: 1000, rmsDb, startedAt: 'S', ...extra },
})

describe('outcomeOf', () => {
  it('is null without events, so the caller decides between missed and pending', () => {
    expect(outcomeOf([], -60)).toBeNull()
  })

  it('counts a finish with sound as played', () => {
    expect(outcomeOf([started, finished(-20)], -60)).toMatchObject({
      status: 'played',
      reason: null,
      playedMs: 1000,
      rmsDb: -20,
    })
  })

  it.each([
    ['below the threshold', -70],
    ['digital silence', -120],
    ['not measured', null],
  ])('flags a finish whose level is %s as silent, not played', (_, rms) => {
    expect(outcomeOf([started, finished(rms)], -60)).toMatchObject({
      status: 'silent',
      reason: 'silent',
    })
  })

  it('adds up the parts of a segment resumed after an announcement and notes the cut', () => {
    const cut = {
      type: 'play.interrupted',
      reason: null,
      body: { playedMs: 4000, reason: 'preempted' },
    }
    expect(
      outcomeOf([started, cut, started, finished(-20, { offsetMs: 9000 })], -60),
    ).toMatchObject({ status: 'played', playedMs: 5000, interrupted: true })
  })

  it('reports a cut that never resumed as interrupted, with its reason', () => {
    const cut = {
      type: 'play.interrupted',
      reason: null,
      body: { playedMs: 4000, reason: 'preempted' },
    }
    expect(outcomeOf([started, cut], -60)).toMatchObject({
      status: 'interrupted',
      reason: 'preempted',
      playedMs: 4000,
    })
  })

  it('reports failures with their reason, and held-up items as interrupted', () => {
    const failed = (reason: string) => ({ type: 'play.failed', reason, body: {} })
    expect(outcomeOf([failed('download')], -60)).toMatchObject({
      status: 'failed',
      reason: 'download',
    })
    expect(outcomeOf([failed('interrupted')], -60)).toMatchObject({ status: 'interrupted' })
    expect(outcomeOf([started], -60)).toMatchObject({ status: 'playing' })
  })

  it('marks drill plays', () => {
    expect(outcomeOf([finished(-20, { drill: true })], -60)?.drill).toBe(true)
  })
})

describe('outcomeOf with make-goods (补播)', () => {
  const missed = (reason: string): PlayEventLike => ({
    type: 'play.missed',
    reason,
    body: { reason, scheduledAt: 'I' },
  })
  const mg = (e: PlayEventLike): PlayEventLike => ({
    ...e,
    body: { ...e.body, makeGood: true, startedAt: 'M', at: 'M' },
  })

  it('reports a node-reported miss with its reason', () => {
    expect(outcomeOf([missed('down')], -60)).toMatchObject({ status: 'missed', reason: 'down' })
  })

  it('counts a make-good with sound as madeGood, never as played, keeping the miss reason', () => {
    const o = outcomeOf([missed('down'), mg(started), mg(finished(-20))], -60)
    expect(o).toMatchObject({ status: 'madeGood', reason: 'down', makeGoodAt: 'M' })
  })

  it('keeps a failure at the instant as the reason of a make-good', () => {
    const failed = { type: 'play.failed', reason: 'download', body: {} }
    const o = outcomeOf([failed, missed('no-audio'), mg(started), mg(finished(-20))], -60)
    expect(o).toMatchObject({ status: 'madeGood', reason: 'no-audio' })
  })

  it('leaves a miss whose make-good was silent or failed as missed', () => {
    expect(outcomeOf([missed('offline'), mg(started), mg(finished(null))], -60)).toMatchObject({
      status: 'missed',
      reason: 'offline',
    })
    const mgFailed = mg({ type: 'play.failed', reason: 'download', body: {} })
    expect(outcomeOf([missed('down'), mgFailed], -60)).toMatchObject({ status: 'missed' })
  })

  it('keeps an on-time play as played even if a make-good event arrives', () => {
    const o = outcomeOf([started, finished(-20), mg(started), mg(finished(-20))], -60)
    expect(o).toMatchObject({ status: 'played' })
  })
})
