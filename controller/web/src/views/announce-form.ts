import { h, setAttr, setHidden, setText } from '../dom.js'
import { dateIn } from '../format.js'
import type { I18n } from '../i18n.js'
import type { ProgrammeApi } from '../programme-api.js'
import type { Announcement, AnnouncementLevel, Column, Recording } from '../programme-types.js'
import type { Zone } from '../types.js'
import { pickAudio } from './audio-picker.js'
import { AUDIO_ACCEPT } from './audio-upload.js'
import { confirmDialog } from './dialog.js'
import { createFilePick } from './file-pick.js'
import { apiErrorText, clock, localInstant, mmss, normaliseTime } from './programme-text.js'
import { createZoneTree, zonesText } from './zone-tree.js'

function radio(name: string, value: string, label: string, checked = false): HTMLLabelElement {
  const input = h('input', { type: 'radio', name, value })
  input.checked = checked
  return h('label', { class: 'check' }, input, label)
}

function chosen(form: HTMLFormElement, name: string): string {
  return (
    (form.querySelector(`input[name="${name}"]:checked`) as HTMLInputElement | null)?.value ?? ''
  )
}

/**
 * The announcement form: a recording from the library or a fresh upload, the zones (a tree; none
 * is the district), now or at a time, urgent or emergency, drill. It asks for confirmation,
 * saying where and when it will play, then sends it.
 */
export function createAnnounceForm(
  i18n: I18n,
  deps: {
    api: ProgrammeApi
    tz: () => string
    zones: () => readonly Zone[]
    zoneOf: (id: string) => Zone | undefined
    columns: () => readonly Column[]
    onSent: (a: Announcement) => void
  },
) {
  const t = i18n.t
  const { api } = deps
  let recording: Recording | null = null

  const title = h('input', { id: 'an-title', type: 'text', maxlength: 200, autocomplete: 'off' })
  const pick = h('button', { type: 'button', class: 'button an-pick' }, t('announce.pick'))
  const picked = h('span', { class: 'an-picked' }, t('announce.nothingPicked'))
  const pickFile = createFilePick(i18n, { id: 'an-file', accept: AUDIO_ACCEPT })
  const fromLibrary = h('div', { class: 'an-source an-library' }, pick, picked)
  const fromFile = h(
    'div',
    { class: 'an-source an-upload', hidden: true },
    h('label', { for: 'an-file', class: 'sr-only' }, t('upload.file')),
    pickFile.el,
  )
  const tree = createZoneTree(i18n, { id: 'an-zones', zones: deps.zones(), selected: [] })
  const atDate = h('input', { id: 'an-date', type: 'date' })
  const atTime = h('input', {
    id: 'an-time',
    type: 'text',
    inputmode: 'numeric',
    placeholder: 'HH:MM',
    maxlength: 8,
    autocomplete: 'off',
  })
  const at = h(
    'div',
    { class: 'an-at', hidden: true },
    h('div', { class: 'field' }, h('label', { for: 'an-date' }, t('announce.date')), atDate),
    h('div', { class: 'field' }, h('label', { for: 'an-time' }, t('announce.time')), atTime),
  )
  const drill = h('input', { id: 'an-drill', type: 'checkbox' })
  const submit = h('button', { type: 'submit', class: 'button danger an-send' }, t('announce.send'))
  const bar = h('progress', { class: 'up-progress', max: 100, value: 0, hidden: true })
  const status = h('p', { class: 'an-status', role: 'status' })

  const form = h(
    'form',
    { class: 'panel an-form', 'aria-labelledby': 'an-form-h' },
    h('h2', { class: 'panel-title', id: 'an-form-h' }, t('announce.formHeading')),
    h(
      'fieldset',
      { class: 'an-set' },
      h('legend', {}, t('announce.audio')),
      h(
        'div',
        { class: 'an-radios' },
        radio('an-src', 'library', t('announce.fromLibrary'), true),
        radio('an-src', 'upload', t('announce.fromUpload')),
      ),
      fromLibrary,
      fromFile,
    ),
    h('div', { class: 'field' }, h('label', { for: 'an-title' }, t('announce.title')), title),
    h('fieldset', { class: 'an-set' }, h('legend', {}, t('announce.zones')), tree.el),
    h(
      'fieldset',
      { class: 'an-set' },
      h('legend', {}, t('announce.when')),
      h(
        'div',
        { class: 'an-radios' },
        radio('an-when', 'now', t('announce.now'), true),
        radio('an-when', 'at', t('announce.at')),
      ),
      at,
    ),
    h(
      'fieldset',
      { class: 'an-set' },
      h('legend', {}, t('announce.priority')),
      h(
        'div',
        { class: 'an-radios' },
        radio('an-level', 'urgent', t('announce.level.urgent'), true),
        radio('an-level', 'emergency', t('announce.level.emergency')),
      ),
      h('p', { class: 'panel-note' }, t('announce.priorityNote')),
    ),
    h('label', { class: 'check', for: 'an-drill' }, drill, t('announce.drill')),
    h('div', { class: 'an-submit' }, submit, bar),
    status,
  )

  form.addEventListener('change', (e) => {
    const target = e.target as HTMLInputElement
    if (target.name === 'an-src') {
      setHidden(fromLibrary, target.value !== 'library')
      setHidden(fromFile, target.value !== 'upload')
    }
    if (target.name === 'an-when') {
      setHidden(at, target.value !== 'at')
      if (!atDate.value) atDate.value = dateIn(deps.tz())
    }
  })
  pick.addEventListener('click', () => {
    void pickAudio(i18n, api, {
      current: recording?.id ?? null,
      columns: deps.columns(),
      allowEmpty: false,
      title: t('announce.pickTitle'),
    }).then((p) => {
      if (!p?.recording) return
      recording = p.recording
      setText(picked, `${p.recording.title} · ${mmss(p.recording.durationMs)}`)
      setAttr(picked, 'data-audio-id', p.recording.id)
    })
  })

  function fail(text: string): void {
    setAttr(status, 'data-state', 'error')
    setText(status, text)
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void send()
  })

  async function send(): Promise<void> {
    const source = chosen(form, 'an-src')
    const level = chosen(form, 'an-level') as AnnouncementLevel
    const f = pickFile.file()
    if (source === 'library' && !recording) return fail(t('announce.needAudio'))
    if (source === 'upload' && !f) return fail(t('announce.needFile'))
    let when: string | null = null
    let whenText = ''
    if (chosen(form, 'an-when') === 'at') {
      const time = normaliseTime(atTime.value)
      when = time ? localInstant(`${atDate.value}T${time}`, deps.tz()) : null
      if (!when || !time) return fail(t('announce.needTime'))
      whenText = `${atDate.value} ${clock(time)}`
    }
    const zones = tree.value()
    const name = title.value.trim() || recording?.title || f?.name.replace(/\.[^.]+$/, '') || ''
    const ok = await confirmDialog(i18n, {
      title: t(`announce.confirmTitle.${level}`),
      text: when
        ? t('announce.confirmText', {
            title: name,
            zones: zonesText(i18n, zones, deps.zoneOf),
            when: whenText,
          })
        : t('announce.confirmTextNow', { title: name, zones: zonesText(i18n, zones, deps.zoneOf) }),
      ok: t('announce.send'),
      danger: true,
    })
    if (!ok) return
    submit.disabled = true
    setAttr(status, 'data-state', 'sending')
    setText(status, t('announce.sending'))
    try {
      let a: Announcement
      if (source === 'upload' && f) {
        const body = new FormData()
        if (title.value.trim()) body.append('title', title.value.trim())
        if (zones.length > 0) body.append('zones', zones.join(','))
        if (when) body.append('at', when)
        body.append('priority', level)
        body.append('drill', String(drill.checked))
        body.append('file', f, f.name)
        setHidden(bar, false)
        a = await api.announceWithFile(body, (sent, total) => {
          bar.value = total > 0 ? Math.round((sent / total) * 100) : 0
        }).done
      } else {
        a = await api.announce({
          audioId: (recording as Recording).id,
          ...(title.value.trim() ? { title: title.value.trim() } : {}),
          ...(zones.length > 0 ? { zones } : {}),
          ...(when ? { at: when } : {}),
          priority: level,
          drill: drill.checked,
        })
      }
      setAttr(status, 'data-state', 'sent')
      setText(status, t('announce.sent', { title: a.title }))
      title.value = ''
      pickFile.clear()
      deps.onSent(a)
    } catch (err) {
      fail(t('announce.failed', { msg: apiErrorText(i18n, err) }))
    } finally {
      submit.disabled = false
      setHidden(bar, true)
    }
  }

  return {
    el: form,
    setZones: (zones: readonly Zone[]) => tree.setZones(zones),
  }
}
