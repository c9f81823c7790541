import type { Provisioned } from '../access-types.js'
import { h, setText } from '../dom.js'
import { dateTimeOf } from '../format.js'
import type { I18n } from '../i18n.js'

/**
 * The server's QR code SVG as an image source. An SVG shown through `<img>` runs no script and
 * loads nothing, so the markup from the controller cannot touch the page; the page's CSP allows
 * `data:` images.
 */
export function qrSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/** The bundle as the file an agent enrolls with (`install.sh bundle.json`). */
export function bundleJson(p: Provisioned): string {
  return `${JSON.stringify(p.bundle, null, 2)}\n`
}

/** Copies text: the Clipboard API where the page may use it, else a selected text area. */
export async function copyText(
  text: string,
  fallback: HTMLTextAreaElement,
  reveal: () => void = () => {},
): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Denied: fall through to the selection.
  }
  reveal()
  fallback.value = text
  fallback.focus()
  fallback.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  }
}

/**
 * The provisioning bundle of a node: its QR code, large enough to scan from the phone's screen,
 * when it expires, "copy the JSON" and "download bundle.json". The bundle's token works once;
 * the panel says to keep it like a key.
 */
export function createBundlePanel(
  i18n: I18n,
  p: Provisioned,
  opts: { nodeName: string; tz: string; heading?: string },
) {
  const t = i18n.t
  const json = bundleJson(p)
  const img = h('img', {
    class: 'qr',
    src: qrSource(p.bundleQr),
    alt: t('bundle.qrAlt', { node: opts.nodeName }),
    width: 320,
    height: 320,
  })
  const status = h('p', { class: 'panel-status', role: 'status' })
  const text = h('textarea', {
    class: 'bundle-text',
    readonly: true,
    rows: 8,
    spellcheck: 'false',
    'aria-label': t('bundle.json'),
  })
  text.value = json
  const copy = h('button', { type: 'button', class: 'button primary' }, t('bundle.copy'))
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }))
  const download = h(
    'a',
    { class: 'button', href: url, download: 'bundle.json', 'data-node-id': p.bundle.nodeId },
    t('bundle.download'),
  )
  copy.addEventListener('click', () => {
    void copyText(json, text, () => {
      details.open = true
    }).then((ok) => {
      setText(status, ok ? t('bundle.copied') : t('bundle.copyFailed'))
      if (!ok) details.open = true
    })
  })
  const details = h(
    'details',
    { class: 'bundle-details' },
    h('summary', {}, t('bundle.show')),
    text,
  )
  const el = h(
    'section',
    { class: 'panel bundle-panel', 'aria-labelledby': 'bundle-h', 'data-node-id': p.bundle.nodeId },
    h('h2', { class: 'panel-title', id: 'bundle-h' }, opts.heading ?? t('bundle.heading')),
    h('p', { class: 'panel-note' }, t('bundle.scan')),
    h('div', { class: 'qr-wrap' }, img),
    h(
      'p',
      { class: 'bundle-expires' },
      t('bundle.expires', { at: dateTimeOf(p.bundle.expiresAt, opts.tz, i18n.locale()) }),
    ),
    h('p', { class: 'bundle-warn' }, t('bundle.warn')),
    h('div', { class: 'cmd-buttons bundle-actions' }, copy, download),
    status,
    details,
  )
  return {
    el,
    /** The bundle's JSON, as copied and downloaded. */
    json,
    destroy(): void {
      URL.revokeObjectURL(url)
    },
  }
}
