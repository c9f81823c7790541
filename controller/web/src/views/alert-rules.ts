import type { Api } from '../api.js'
import { errorText } from '../api.js'
import { button, h, setText } from '../dom.js'
import type { I18n, MessageKey } from '../i18n.js'
import type { AlertRule } from '../types.js'
import { ALERT_KINDS, alertKindText, severityText } from './alert-text.js'

const PARAMS: Record<string, { max: number; min: number }> = {
  minutes: { min: 0, max: 10_080 },
  percent: { min: 0, max: 100 },
  minNodes: { min: 1, max: 100_000 },
}

const known = (kind: string) => (ALERT_KINDS as readonly string[]).includes(kind)

/** One rule's card: what it watches, on / off, its parameters, and save. */
function ruleCard(i18n: I18n, api: Api, rule: AlertRule): HTMLElement {
  const t = i18n.t
  const id = `rule-${rule.kind}`
  const enabled = h('input', { type: 'checkbox', id: `${id}-on` })
  enabled.checked = rule.enabled
  const inputs = Object.entries(rule.params).map(([name, value]) => {
    const range = PARAMS[name] ?? { min: 0, max: 1_000_000 }
    const input = h('input', {
      type: 'number',
      id: `${id}-${name}`,
      name,
      min: range.min,
      max: range.max,
      step: 1,
      required: true,
      inputmode: 'numeric',
    })
    input.value = String(value)
    const label = name in PARAMS ? t(`rule.param.${name}` as MessageKey) : name
    return {
      name,
      input,
      wrap: h('div', { class: 'field' }, h('label', { for: input.id }, label), input),
    }
  })
  const status = h('span', { class: 'rule-status', role: 'status' })
  const save = h('button', { type: 'submit', class: 'button primary' }, t('rules.save'))
  const form = h(
    'form',
    { class: 'rule', 'data-kind': rule.kind, 'aria-labelledby': `${id}-h` },
    h(
      'div',
      { class: 'rule-head' },
      h('h3', { id: `${id}-h` }, alertKindText(i18n, rule.kind)),
      h(
        'span',
        { class: `badge severity severity-${rule.severity}` },
        severityText(i18n, rule.severity),
      ),
    ),
    known(rule.kind)
      ? h('p', { class: 'rule-desc' }, t(`rule.desc.${rule.kind}` as MessageKey))
      : null,
    h(
      'div',
      { class: 'rule-fields' },
      h('label', { class: 'check', for: enabled.id }, enabled, t('rules.enabled')),
      ...inputs.map((i) => i.wrap),
    ),
    h('div', { class: 'rule-actions' }, save, status),
  )
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const params: Record<string, number> = {}
    for (const i of inputs) params[i.name] = Number(i.input.value)
    save.disabled = true
    setText(status, t('rules.saving'))
    api
      .putAlertRule(rule.kind, { enabled: enabled.checked, params })
      .then(
        () => setText(status, t('rules.saved')),
        (err: unknown) => setText(status, t('rules.saveError', { msg: errorText(err) })),
      )
      .finally(() => {
        save.disabled = false
      })
  })
  return form
}

/** The alert rules editor: loads the rules and shows a card for each. */
export function createRulesEditor(i18n: I18n, api: Api) {
  const t = i18n.t
  const body = h('div', { class: 'rules' })
  const message = h('p', { class: 'message' }, t('common.loading'))
  const el = h('div', {}, message, body)
  const ac = new AbortController()
  const load = () => {
    api.alertRules(ac.signal).then(
      (rules) => {
        message.hidden = rules.length > 0
        setText(message, t('rules.none'))
        body.replaceChildren(...rules.map((r) => ruleCard(i18n, api, r)))
      },
      (err: unknown) => {
        if (ac.signal.aborted) return
        setText(message, t('common.loadError', { msg: errorText(err) }))
        message.append(' ', button(t('common.retry'), load))
      },
    )
  }
  load()
  return { el, destroy: () => ac.abort() }
}
