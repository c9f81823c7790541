/**
 * @module contract/labels
 * The words people read for codes the API returns, defined once for every place that shows
 * them: the reports' CSV downloads and the web UI. Chinese (the office's language) and English.
 */
import { COMMAND_KINDS, type CommandKind, type PLAY_FAILURE_REASONS } from '../protocol/index.js'
import type { NodeState } from './fleet.js'

/** A label in both languages. */
export interface Label {
  zh: string
  en: string
}

/** A language labels exist in. */
export type Lang = keyof Label

/** Why a play failed or did not happen: the agent's reasons and those reports add. */
export const PLAY_REASON_LABELS = {
  // The agent's failure reasons (protocol PLAY_FAILURE_REASONS).
  checksum: { zh: '校验失败', en: 'checksum mismatch' },
  download: { zh: '下载失败', en: 'download failed' },
  decode: { zh: '解码失败', en: 'decode failed' },
  late: { zh: '迟到', en: 'late' },
  sink: { zh: '音频输出故障', en: 'audio output fault' },
  interrupted: { zh: '被插播中断', en: 'interrupted by an announcement' },
  missing: { zh: '文件缺失', en: 'file missing' },
  // What the reports conclude when no play was reported.
  offline: { zh: '离线', en: 'offline' },
  noReport: { zh: '未报告', en: 'no report' },
  preempted: { zh: '被插播打断', en: 'interrupted by an announcement' },
  cancelled: { zh: '已撤回', en: 'withdrawn' },
  crash: { zh: '播放中终端程序中断', en: 'agent stopped while playing' },
  noEnd: { zh: '已开始，无结束报告', en: 'started, no end reported' },
  down: { zh: '停机', en: 'node down' },
  'no-audio': { zh: '缺少音频', en: 'no audio' },
  silent: { zh: '无声', en: 'silent' },
  stopped: { zh: '被停止', en: 'stopped' },
  shutdown: { zh: '关机', en: 'shut down' },
} as const satisfies Record<(typeof PLAY_FAILURE_REASONS)[number], Label> & Record<string, Label>

/** What became of a scheduled item (the report's `status`). */
export const PLAY_OUTCOME_LABELS = {
  played: { zh: '已播', en: 'Played' },
  madeGood: { zh: '补播', en: 'make-good' },
  silent: { zh: '无声', en: 'Silent' },
  interrupted: { zh: '被打断', en: 'Interrupted' },
  failed: { zh: '失败', en: 'Failed' },
  playing: { zh: '播放中', en: 'Playing' },
  missed: { zh: '未播', en: 'Missed' },
  pending: { zh: '待播', en: 'Pending' },
} as const satisfies Record<string, Label>

/** A node's state. */
export const NODE_STATE_LABELS = {
  online: { zh: '在线', en: 'Online' },
  offline: { zh: '离线', en: 'Offline' },
  degraded: { zh: '异常', en: 'Degraded' },
  flapping: { zh: '频繁掉线', en: 'Flapping' },
} as const satisfies Record<NodeState, Label>

/** What a command asks a node to do. */
export const COMMAND_KIND_LABELS = {
  ping: { zh: '连通测试', en: 'Ping' },
  testTone: { zh: '测试音', en: 'Test tone' },
  setVolume: { zh: '设置音量', en: 'Set volume' },
  stop: { zh: '停止播放', en: 'Stop playback' },
  resync: { zh: '重新同步', en: 'Resync' },
  restart: { zh: '重启程序', en: 'Restart agent' },
} as const satisfies Record<CommandKind, Label>

/** Working day or rest day. */
export const DAY_TYPE_LABELS = {
  working: { zh: '工作日', en: 'working' },
  rest: { zh: '休息日', en: 'rest' },
} as const satisfies Record<'working' | 'rest', Label>

/** Command kinds in the order the UI offers them. */
export { COMMAND_KINDS }

/** The label of `code` in `table`, or the code itself when the table does not know it. */
export function labelOf(table: Readonly<Record<string, Label>>, code: string, lang: Lang): string {
  return (Object.hasOwn(table, code) ? table[code]?.[lang] : undefined) ?? code
}

/** `{ late: 2, offline: 1 }` → `离线×1; 迟到×2` sorted by count, most frequent first. */
export function reasonsText(reasons: Readonly<Record<string, number>>, lang: Lang): string {
  return Object.entries(reasons)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${labelOf(PLAY_REASON_LABELS, r, lang)}×${n}`)
    .join('; ')
}
