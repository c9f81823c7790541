import { reachable } from '../access.js'
import { accessApi } from '../access-api.js'
import type { CreatedNode, RegisterRequest } from '../access-types.js'
import { h, setHidden, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { Store } from '../store.js'
import type { NodeView } from '../types.js'
import { accessErrorText } from './access-errors.js'
import { parseCoord, zoneChoices } from './install-data.js'
import { createPickMap, type LatLon, round6 } from './pick-map.js'

/** How long to wait for the phone's location. */
const LOCATE_TIMEOUT_MS = 20_000

/**
 * "Register a node" for an installer on a phone: name, zone (only the user's zones), position
 * (the phone's location, typed, or a tap on a small map of the existing nodes), hardware serial
 * and notes. `onDone` gets the registered node with its bundle.
 */
export function createInstallForm(
  i18n: I18n,
  opts: { store: Store; zones: readonly string[]; onDone: (node: CreatedNode) => void },
) {
  const t = i18n.t
  const { store } = opts
  const input = (id: string, attrs: Record<string, string | number | boolean> = {}) =>
    h('input', { id, name: id, ...attrs })
  const name = input('i-name', { required: true, maxlength: 100, autocomplete: 'off' })
  const zone = h('select', { id: 'i-zone', name: 'i-zone', required: true })
  const lat = input('i-lat', { inputmode: 'decimal', autocomplete: 'off', placeholder: '36.6345' })
  const lon = input('i-lon', { inputmode: 'decimal', autocomplete: 'off', placeholder: '101.7621' })
  const serial = input('i-serial', {
    maxlength: 100,
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
  })
  const notes = h('textarea', { id: 'i-notes', name: 'i-notes', rows: 3, maxlength: 1000 })
  const locate = h('button', { type: 'button', class: 'button locate' }, t('install.locate'))
  const locateStatus = h('p', { class: 'panel-note locate-status', role: 'status' })
  const map = createPickMap(i18n, (p) => {
    setCoords(p)
    setText(locateStatus, t('install.picked'))
  })
  const error = h('p', { class: 'form-status form-error', role: 'alert', hidden: true })
  const submit = h(
    'button',
    { type: 'submit', class: 'button primary submit' },
    t('install.submit'),
  )
  const field = (id: string, label: string, control: HTMLElement, hint?: string) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      control,
      hint ? h('p', { class: 'field-hint' }, hint) : null,
    )
  const el = h(
    'form',
    { class: 'panel install-form', 'aria-labelledby': 'install-form-h', novalidate: true },
    h('h2', { class: 'panel-title', id: 'install-form-h' }, t('install.formHeading')),
    field('i-name', t('install.name'), name, t('install.nameHint')),
    field('i-zone', t('install.zone'), zone),
    h(
      'fieldset',
      { class: 'position' },
      h('legend', {}, t('install.position')),
      locate,
      locateStatus,
      h(
        'div',
        { class: 'coords' },
        field('i-lat', t('install.lat'), lat),
        field('i-lon', t('install.lon'), lon),
      ),
      h('p', { class: 'field-hint' }, t('install.mapHint')),
      map.el,
    ),
    field('i-serial', t('install.serial'), serial, t('install.optional')),
    field('i-notes', t('install.notes'), notes, t('install.notesHint')),
    error,
    h('div', { class: 'form-actions' }, submit),
  )

  function setCoords(p: LatLon): void {
    lat.value = String(p.lat)
    lon.value = String(p.lon)
  }

  const typed = () => {
    const a = parseCoord(lat.value, 90)
    const b = parseCoord(lon.value, 180)
    map.setChosen(typeof a === 'number' && typeof b === 'number' ? { lat: a, lon: b } : null)
  }
  lat.addEventListener('change', typed)
  lon.addEventListener('change', typed)

  const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined
  // Phones give their location only to pages opened over HTTPS (or on the phone itself).
  const noGeo = !geo || !window.isSecureContext
  if (noGeo) {
    locate.disabled = true
    setText(locateStatus, t('install.locateInsecure'))
  }
  locate.addEventListener('click', () => {
    if (!geo) return
    locate.disabled = true
    setText(locateStatus, t('install.locating'))
    geo.getCurrentPosition(
      (pos) => {
        locate.disabled = false
        const p = { lat: round6(pos.coords.latitude), lon: round6(pos.coords.longitude) }
        setCoords(p)
        map.setChosen(p)
        setText(locateStatus, t('install.located', { m: Math.round(pos.coords.accuracy) }))
      },
      (err) => {
        locate.disabled = false
        const key =
          err.code === err.PERMISSION_DENIED
            ? 'install.locateDenied'
            : err.code === err.TIMEOUT
              ? 'install.locateTimeout'
              : 'install.locateFailed'
        setText(locateStatus, t(key))
      },
      { enableHighAccuracy: true, timeout: LOCATE_TIMEOUT_MS, maximumAge: 30_000 },
    )
  })

  let shownZones = -1
  function fillZones(): void {
    if (shownZones === store.zones.length) return
    shownZones = store.zones.length
    const chosen = zone.value
    const choices = zoneChoices(store.zones, opts.zones)
    // Indented by depth below the top-most zone the user may choose.
    const top = choices.length > 0 ? Math.min(...choices.map((c) => c.depth)) : 0
    const options = choices.map(({ zone: z, depth }) =>
      h('option', { value: z.id }, `${'\u3000'.repeat(depth - top)}${z.name}`),
    )
    if (choices.length !== 1) options.unshift(h('option', { value: '' }, t('install.zonePick')))
    zone.replaceChildren(...options)
    zone.value = chosen
    // Keep the choice if it is still there; a user with a single zone gets it chosen.
    if (zone.value !== chosen || !chosen)
      zone.value = choices.length === 1 ? (choices[0]?.zone.id ?? '') : ''
  }

  function mapNodes(): void {
    const reach = reachable(store.zones, opts.zones)
    const list: NodeView[] = []
    for (const n of store.nodes.values()) {
      if (!n.retiredAt && (reach === null || reach.has(n.zone))) list.push(n)
    }
    map.setNodes(list)
  }

  function refresh(): void {
    fillZones()
    mapNodes()
  }

  function fail(text: string, focus?: HTMLElement): void {
    setHidden(error, false)
    setText(error, text)
    focus?.focus()
  }

  let busy = false
  el.addEventListener('submit', (e) => {
    e.preventDefault()
    if (busy) return
    setHidden(error, true)
    if (!name.value.trim()) return fail(t('install.needName'), name)
    if (!zone.value) return fail(t('install.needZone'), zone)
    const a = parseCoord(lat.value, 90)
    const b = parseCoord(lon.value, 180)
    if (a === 'bad' || b === 'bad' || (a === null) !== (b === null)) {
      return fail(t('install.badCoords'), a === 'bad' || a === null ? lat : lon)
    }
    const body: RegisterRequest = { name: name.value.trim(), zone: zone.value }
    if (typeof a === 'number' && typeof b === 'number') {
      body.lat = a
      body.lon = b
    }
    if (serial.value.trim()) body.serial = serial.value.trim()
    if (notes.value.trim()) body.notes = notes.value.trim()
    busy = true
    submit.disabled = true
    setText(submit, t('install.submitting'))
    accessApi.registerNode(body).then(
      (created) => {
        busy = false
        submit.disabled = false
        setText(submit, t('install.submit'))
        opts.onDone(created)
      },
      (err: unknown) => {
        busy = false
        submit.disabled = false
        setText(submit, t('install.submit'))
        fail(accessErrorText(i18n, err))
      },
    )
  })

  const offs = [store.on('nodes', refresh)]
  refresh()

  return {
    el,
    /** Clears the form for the next node (keeps the zone). */
    reset(): void {
      for (const i of [name, lat, lon, serial]) i.value = ''
      notes.value = ''
      map.setChosen(null)
      setText(locateStatus, noGeo ? t('install.locateInsecure') : '')
      setHidden(error, true)
    },
    focus: () => name.focus(),
    destroy(): void {
      for (const off of offs) off()
      map.destroy()
    },
  }
}
