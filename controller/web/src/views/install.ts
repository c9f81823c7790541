import { accessApi } from '../access-api.js'
import type { CreatedNode, Provisioned, ProvisionedNode } from '../access-types.js'
import { button, h, setHidden, setText } from '../dom.js'
import { normalizeNode } from '../node-state.js'
import type { NodeView } from '../types.js'
import { accessErrorText } from './access-errors.js'
import { createBundlePanel } from './bundle-panel.js'
import { createCommission } from './commission.js'
import { createInstallForm } from './install-form.js'
import type { ViewFactory } from './view.js'

/**
 * The installer's page (`#/install`, phone first): register a node, show its provisioning
 * bundle as a QR code (copy, download), then its live commissioning checklist until it is in
 * service. `#/install?node=<id>` opens the checklist of a registered node (the bundle is shown
 * only once; a fresh one can be issued).
 */
export const installView: ViewFactory = (ctx, route) => {
  const { i18n, store, session, router } = ctx
  const t = i18n.t
  let nodeId = route.params.get('node') ?? ''
  let bundle: ReturnType<typeof createBundlePanel> | null = null
  let commission: ReturnType<typeof createCommission> | null = null

  const form = createInstallForm(i18n, { store, zones: session.me.zones, onDone: registered })
  const headingText = h('span', {})
  const headingId = h('span', { class: 'node-id' })
  const heading = h(
    'h2',
    { class: 'result-heading', id: 'install-result-h', tabindex: -1 },
    headingText,
    headingId,
  )
  const bundleSlot = h('div', { class: 'bundle-slot' })
  const reissueStatus = h('p', { class: 'panel-status', role: 'status' })
  const reissue = button(t('install.reissue'), () => void issue(), { class: 'button reissue' })
  const reissueBox = h(
    'div',
    { class: 'panel reissue-box', hidden: true },
    h('p', { class: 'panel-note' }, t('install.reissueNote')),
    reissue,
    reissueStatus,
  )
  const commissionSlot = h('div', { class: 'commission-slot' })
  const next = button(t('install.next'), () => showForm(), { class: 'button next-node' })
  const result = h(
    'section',
    { class: 'install-result', 'aria-labelledby': 'install-result-h', hidden: true },
    heading,
    bundleSlot,
    reissueBox,
    commissionSlot,
    h('div', { class: 'form-actions' }, next),
  )
  const el = h(
    'section',
    { class: 'page page-install', 'aria-labelledby': 'install-h' },
    h('h1', { id: 'install-h' }, t('install.heading')),
    h('p', { class: 'page-intro' }, t('install.intro')),
    form.el,
    result,
  )

  function clearResult(): void {
    bundle?.destroy()
    bundle = null
    commission?.destroy()
    commission = null
    bundleSlot.replaceChildren()
    commissionSlot.replaceChildren()
  }

  function showForm(): void {
    clearResult()
    nodeId = ''
    router.replaceParams({})
    form.reset()
    setHidden(form.el, false)
    setHidden(result, true)
    form.focus()
  }

  function showBundle(p: Provisioned): void {
    bundle?.destroy()
    const name = store.nodes.get(nodeId)?.name ?? nodeId
    bundle = createBundlePanel(i18n, p, { nodeName: name, tz: store.tz })
    bundleSlot.replaceChildren(bundle.el)
    setHidden(reissueBox, true)
  }

  function showNode(p: Provisioned | null): void {
    clearResult()
    setHidden(form.el, true)
    setHidden(result, false)
    showHeading()
    if (p) showBundle(p)
    else setHidden(reissueBox, enrolled())
    commission = createCommission(ctx, nodeId)
    commissionSlot.replaceChildren(commission.el)
  }

  function registered(created: CreatedNode): void {
    const { secret: _secret, bundle: b, bundleQr, ...view } = created
    store.upsertNodes([normalizeNode(view as NodeView)])
    nodeId = created.id
    router.replaceParams({ node: nodeId })
    showNode({ bundle: b, bundleQr })
    heading.focus({ preventScroll: true })
    heading.scrollIntoView({ block: 'start' })
  }

  async function issue(): Promise<void> {
    reissue.disabled = true
    setText(reissueStatus, '')
    try {
      showBundle(await accessApi.issueEnrollment(nodeId))
    } catch (err) {
      setText(reissueStatus, accessErrorText(i18n, err))
    } finally {
      reissue.disabled = false
    }
  }

  const enrolled = () =>
    Boolean((store.nodes.get(nodeId) as ProvisionedNode | undefined)?.enrolledAt)
  function showHeading(): void {
    const n = store.nodes.get(nodeId)
    setText(headingText, n ? t('install.registered', { node: n.name }) : '')
    setText(headingId, nodeId)
  }

  // The heading names the node once the list has it; a fresh bundle is offered until it enrolled.
  const off = store.on('nodes', () => {
    if (!nodeId) return
    showHeading()
    if (!bundle) setHidden(reissueBox, enrolled())
  })

  if (nodeId) showNode(null)

  return {
    el,
    destroy() {
      off()
      clearResult()
      form.destroy()
    },
  }
}
