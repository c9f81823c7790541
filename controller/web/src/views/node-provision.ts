import { accessApi } from '../access-api.js'
import type { Provisioned, ProvisionedNode } from '../access-types.js'
import { button, h, setHidden, setText } from '../dom.js'
import { dateTimeOf } from '../format.js'
import { normalizeNode } from '../node-state.js'
import { accessErrorText } from './access-errors.js'
import { createBundlePanel } from './bundle-panel.js'
import { confirmDialog, modal } from './dialog.js'
import { createSecretBox } from './secret-box.js'
import type { ViewContext } from './view.js'

/**
 * A node's provisioning on its page (installers and admins): serial, notes, when it enrolled
 * and was replaced; the commissioning checklist; a fresh bundle; replace the hardware (a new
 * bundle, shown at once), rotate the secret (shown once), retire. Each asks first.
 */
export function createNodeProvision(ctx: ViewContext, nodeId: string) {
  const { i18n, store } = ctx
  const t = i18n.t
  const serial = h('dd')
  const notes = h('dd')
  const enrolled = h('dd')
  const replaced = h('dd')
  const status = h('p', { class: 'panel-status', role: 'status' })
  const output = h('div', { class: 'provision-output' })
  let bundle: ReturnType<typeof createBundlePanel> | null = null

  const checklist = h(
    'a',
    { class: 'button', href: `#/install?node=${encodeURIComponent(nodeId)}` },
    t('prov.checklist'),
  )
  const issue = button(t('prov.issue'), () => void run('issue'), { 'data-action': 'issue' })
  const replace = button(t('prov.replace'), () => void run('replace'), { 'data-action': 'replace' })
  const rotate = button(t('prov.rotate'), () => void run('rotate'), { 'data-action': 'rotate' })
  const retire = button(t('prov.retire'), () => void run('retire'), {
    'data-action': 'retire',
    class: 'button danger-outline',
  })
  const actions = [issue, replace, rotate, retire]
  const row = (label: string, value: HTMLElement) => h('div', {}, h('dt', {}, label), value)
  const el = h(
    'div',
    { class: 'provision' },
    h(
      'dl',
      { class: 'facts' },
      row(t('install.serial'), serial),
      row(t('prov.enrolledAt'), enrolled),
      row(t('prov.replacedAt'), replaced),
      row(t('install.notes'), notes),
    ),
    h('div', { class: 'cmd-buttons' }, checklist, ...actions),
    status,
    output,
  )

  const when = (iso: string | null | undefined) =>
    iso ? dateTimeOf(iso, store.tz, i18n.locale()) : t('common.none')
  const nameOf = () => store.nodes.get(nodeId)?.name ?? nodeId

  function showBundle(p: Provisioned, heading: string): void {
    bundle?.destroy()
    bundle = createBundlePanel(i18n, p, { nodeName: nameOf(), tz: store.tz, heading })
    output.replaceChildren(bundle.el)
  }

  /** Puts the node of an answer into the store (without its secret or bundle). */
  function adopt(n: ProvisionedNode & Partial<Provisioned> & { secret?: string }): void {
    const { secret: _secret, bundle: _bundle, bundleQr: _qr, ...view } = n
    store.upsertNodes([normalizeNode(view)])
  }

  async function ask(
    kind: 'issue' | 'replace' | 'rotate' | 'retire',
  ): Promise<{ serial?: string } | null> {
    const node = nameOf()
    if (kind === 'replace') {
      const input = h('input', { id: 'replace-serial', maxlength: 100, autocomplete: 'off' })
      return modal(i18n, {
        title: t('prov.replaceTitle', { node }),
        body: [
          h('p', { class: 'dialog-text' }, t('prov.replaceText')),
          h(
            'div',
            { class: 'field' },
            h('label', { for: 'replace-serial' }, t('prov.newSerial')),
            input,
          ),
        ],
        ok: t('prov.replace'),
        danger: true,
        read: () => (input.value.trim() ? { serial: input.value.trim() } : {}),
      })
    }
    const ok = await confirmDialog(i18n, {
      title: t(`prov.${kind}Title`, { node }),
      text: t(`prov.${kind}Text`),
      ok: t(`prov.${kind}`),
      danger: kind !== 'issue',
    })
    return ok ? {} : null
  }

  async function run(kind: 'issue' | 'replace' | 'rotate' | 'retire'): Promise<void> {
    const answer = await ask(kind)
    if (answer === null) return
    for (const b of actions) b.disabled = true
    setText(status, t('prov.working'))
    try {
      if (kind === 'issue') {
        showBundle(await accessApi.issueEnrollment(nodeId), t('prov.issuedHeading'))
        setText(status, t('prov.issued'))
      } else if (kind === 'replace') {
        const r = await accessApi.replaceNode(nodeId, answer)
        adopt(r)
        showBundle(r, t('prov.replacedHeading'))
        setText(status, t('prov.replaced'))
      } else if (kind === 'rotate') {
        const r = await accessApi.rotateNode(nodeId)
        adopt(r)
        bundle?.destroy()
        bundle = null
        output.replaceChildren(
          createSecretBox(i18n, {
            heading: t('prov.secretHeading'),
            note: t('prov.secretNote'),
            value: r.secret,
          }),
        )
        setText(status, t('prov.rotated'))
      } else {
        adopt(await accessApi.retireNode(nodeId))
        bundle?.destroy()
        bundle = null
        output.replaceChildren()
        setText(status, t('prov.retired'))
      }
    } catch (err) {
      setText(status, accessErrorText(i18n, err))
    } finally {
      update()
    }
  }

  function update(): void {
    const n = store.nodes.get(nodeId) as ProvisionedNode | undefined
    if (!n) return
    setText(serial, n.serial || t('common.none'))
    setText(notes, n.notes || t('common.none'))
    setText(enrolled, when(n.enrolledAt))
    setText(replaced, when(n.replacedAt))
    const retired = n.retiredAt !== null
    for (const b of actions) b.disabled = retired
    setHidden(checklist, retired)
  }

  return {
    el,
    update,
    destroy(): void {
      bundle?.destroy()
    },
  }
}
