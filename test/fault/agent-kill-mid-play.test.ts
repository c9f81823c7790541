import { statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { instantToLocalDate } from '../../schedules/index.js'
import { spawnAgentProcess } from '../helpers/agent-process.js'
import { makeTone } from '../helpers/audio.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { scheduleItems, wholeSecondAhead } from './schedule.js'

interface Play {
  nodeId: string
  itemId: string | null
  type: string
  reason: string | null
  playedMs?: number
}

/** Milliseconds of PCM in a wav file, from its byte rate and size (the header may be unfinished). */
async function wavMs(file: string): Promise<number> {
  const buf = await readFile(file)
  const fmt = buf.indexOf('fmt ')
  const data = buf.indexOf('data')
  if (fmt < 0 || data < 0) return 0
  const byteRate = buf.readUInt32LE(fmt + 16)
  return ((buf.length - (data + 8)) / byteRate) * 1000
}

/** A node whose agent runs as its own process with the wav sink, restartable on the same disk. */
async function nodeProcess(ctl: TestController) {
  const { id, secret } = await ctl.register(`kill ${Math.random().toString(36).slice(2, 6)}`)
  const dataDir = tmpDir('chorus-agent-kill-')
  const wavDir = join(dataDir, 'played')
  const spawn = () => {
    const p = spawnAgentProcess({
      nodeId: id,
      secret,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.url,
      dataDir,
      args: [`--sink=wav:${wavDir}`],
    })
    onTestFinished(async () => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
      await p.exited
    })
    return p
  }
  return { id, dataDir, wavDir, spawn }
}

async function playsOf(ctl: TestController, nodeId: string, date: string): Promise<Play[]> {
  const r = await ctl.api<Play[]>('GET', `/api/plays?date=${date}`)
  return r.body.filter((p) => p.nodeId === nodeId)
}

/** Kills the agent while the item plays, after `killAfterMs` of audio went to the wav. */
async function killMidPlay(ctl: TestController, seconds: number, killAfterMs: number) {
  const audio = await ctl.upload(await makeTone(tmpDir(), 'talk', seconds, 440), 'talk')
  const node = await nodeProcess(ctl)
  const first = node.spawn()
  await waitFor(
    async () =>
      (await ctl.api<{ id: string; online: boolean }[]>('GET', '/api/nodes')).body.find(
        (n) => n.id === node.id && n.online,
      ),
    `node online\n${first.output()}`,
    30_000,
  )
  const at = wholeSecondAhead(6000)
  const date = instantToLocalDate(at, 'Asia/Shanghai')
  await scheduleItems(ctl, [{ at, audioId: audio.id, title: 'talk' }])
  const started = await waitFor(
    async () => (await playsOf(ctl, node.id, date)).find((p) => p.type === 'play.started'),
    `play.started\n${first.output()}`,
    30_000,
  )
  const wav = join(node.wavDir, `${started.itemId?.replace('/', '_')}.wav`)
  await waitFor(
    async () => statSync(wav, { throwIfNoEntry: false }) && (await wavMs(wav)) >= killAfterMs,
    'audio going out',
    30_000,
  )
  first.child.kill('SIGKILL')
  await first.exited
  return { node, at, date, itemId: started.itemId as string, wav, slotEnd: at + seconds * 1000 }
}

/** The outcome the restarted agent reported: interrupted by the crash, with what went out. */
async function expectCrashOutcome(
  ctl: TestController,
  k: Awaited<ReturnType<typeof killMidPlay>>,
  output: () => string,
) {
  const cut = await waitFor(
    async () =>
      (await playsOf(ctl, k.node.id, k.date)).find(
        (p) => p.itemId === k.itemId && p.type === 'play.interrupted',
      ),
    `play.interrupted after restart\n${output()}`,
    30_000,
  )
  expect(cut.reason).toBe('crash')
  const wentOut = await wavMs(k.wav)
  // The stream died with its agent (nothing sounding on to the end).
  expect(wentOut).toBeLessThan(k.slotEnd - k.at - 1000)
  // The marker's heartbeat is touched every 500 ms, and the wav writer runs up to about a second
  // ahead of the speaker (pre-roll buffer): playedMs is never more, and within 2 s.
  expect(cut.playedMs ?? 0, `played ${cut.playedMs}, wav ${wentOut}`).toBeLessThanOrEqual(
    wentOut + 100,
  )
  expect(wentOut - (cut.playedMs ?? 0), `played ${cut.playedMs}, wav ${wentOut}`).toBeLessThan(2000)
  const mine = (await playsOf(ctl, k.node.id, k.date)).filter((p) => p.itemId === k.itemId)
  // No made-up `late` for an item that sounded; once its slot is over the make-good logic may
  // also report it missed (`down`: the agent was not running to finish it).
  const types = mine.map((p) => p.type).filter((t) => t !== 'play.missed')
  expect(types.sort()).toEqual(['play.interrupted', 'play.started'])
  for (const p of mine.filter((x) => x.type === 'play.missed')) expect(p.reason).toBe('down')
}

describe('fault: agent killed mid-play', () => {
  it('restarted inside the slot: reports the item interrupted with the time that went out', async () => {
    const ctl = await startController()
    const k = await killMidPlay(ctl, 20, 4000)
    expect(Date.now()).toBeLessThan(k.slotEnd)
    const second = k.node.spawn()
    await expectCrashOutcome(ctl, k, second.output)
  })

  it('restarted after the slot: still reports the item interrupted, not "playing" for ever', async () => {
    const ctl = await startController()
    const k = await killMidPlay(ctl, 6, 3000)
    // Restart once the slot (and the late tolerance) is over.
    await waitFor(() => Date.now() > k.slotEnd + 5000 + 500, 'slot over', 30_000, 200)
    const second = k.node.spawn()
    await expectCrashOutcome(ctl, k, second.output)
  })
})
