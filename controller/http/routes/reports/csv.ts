/**
 * @module csv
 * CSV for spreadsheet users: a UTF-8 byte-order mark (without it Excel reads UTF-8 as the local
 * code page and garbles Chinese), CRLF line ends, and RFC 4180 quoting.
 */

/** The byte-order mark Excel needs to read the file as UTF-8. */
export const BOM = '\uFEFF'

type Cell = string | number | boolean | null | undefined

function cell(value: Cell): string {
  if (value === null || value === undefined) return ''
  const s = String(value)
  // Quote anything with a delimiter, quote or line break; a leading = + - @ is prefixed with '
  // so a spreadsheet never runs a title as a formula (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** A CSV document: BOM, header row, then rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${BOM}${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`
}

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
