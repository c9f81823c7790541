/**
 * @module csv
 * The one CSV writer every export uses (reports, audit log): a UTF-8 byte-order mark (without it
 * Excel reads UTF-8 as the local code page and garbles Chinese), CRLF line ends, RFC 4180 quoting,
 * and formula neutralisation (OWASP "CSV injection").
 */

/** The byte-order mark Excel needs to read the file as UTF-8. */
export const BOM = '\uFEFF'

type Cell = string | number | boolean | null | undefined

/** A whole cell that is a plain number, which a spreadsheet reads as a number and never runs. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/** A cell a spreadsheet may read as a formula: it starts with = + - @ TAB or CR. */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One cell: a cell starting with = + - @ TAB or CR is prefixed with `'` unless the whole cell is
 * a number (`-2-3-HYPERLINK(…)` starts like a number and is still a formula); then anything with
 * a delimiter, quote or line break is quoted.
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return ''
  const s = String(value)
  const safe = FORMULA_START.test(s) && !NUMBER.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** A CSV document: BOM, header row, then rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${BOM}${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`
}
