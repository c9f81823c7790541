/**
 * @module reports/reasons
 * Failure reasons as text for the reports' CSV downloads.
 */

/** Reason codes in Chinese, for the office's spreadsheets. */
const REASONS_ZH: Record<string, string> = {
  late: '迟到',
  download: '下载失败',
  checksum: '校验失败',
  decode: '解码失败',
  sink: '音频输出故障',
  interrupted: '被打断',
  missing: '缺少文件',
  offline: '离线',
  noReport: '无回报',
  silent: '无声',
  preempted: '被插播打断',
  stopped: '被停止',
  cancelled: '已取消',
  shutdown: '关机',
  down: '停机',
  'no-audio': '缺少音频',
}

/** `{ late: 2, offline: 1 }` → `late×2; offline×1` (reason names in Chinese for `zh`). */
export function reasonsText(reasons: Record<string, number>, lang: 'zh' | 'en'): string {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${lang === 'zh' ? (REASONS_ZH[r] ?? r) : r}×${n}`)
    .join('; ')
}
