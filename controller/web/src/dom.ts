type Attrs = Record<string, string | number | boolean | null | undefined>
type Child = Node | string | null | undefined | false

/** Creates an element: `h('td', { class: 'x' }, 'text', child)`. `on*` attributes are not set. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue
    el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    el.append(c)
  }
  return el
}

/** Sets text only when it differs, so unchanged cells cost no layout. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text
}

/** Sets or removes an attribute only when it differs. */
export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name)
  } else if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value)
  }
}

/** A labelled `<select>` whose options are `[value, label]` pairs. */
export function select(
  id: string,
  label: string,
  options: [string, string][],
  value: string,
): { wrap: HTMLElement; input: HTMLSelectElement } {
  const input = h('select', { id })
  for (const [v, text] of options) input.append(h('option', { value: v }, text))
  input.value = value
  return { wrap: h('div', { class: 'field' }, h('label', { for: id }, label), input), input }
}

/** Shows or hides an element only when that changes. */
export function setHidden(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden
}

/** A `<button type="button">` with a class and a click handler. */
export function button(
  label: string,
  onClick: () => void,
  attrs: Record<string, string | boolean | undefined> = {},
): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'button', ...attrs }, label)
  b.addEventListener('click', onClick)
  return b
}
