import { describe, expect, it } from 'vitest'
import { createSaveGate, itemsForMode } from './order-draft'
import type { EffectiveItem, Item } from './orders'

// The editor's saving rules: one write per change, whoever asks for it (the mode change that
// bug fixed in uifix sent two PUTs, two versions in the day's history, for one 替换模板).

const item = (id: string, start: string): Item => ({ id, start, audioId: 'a', title: id })

describe('running-order saving', () => {
  it('does not write a draft the server holds or is being sent', () => {
    const gate = createSaveGate()
    gate.loaded('A')
    expect(gate.needs('A')).toBe(false)
    expect(gate.needs('B')).toBe(true)
    // A mode change saves B at once; the autosave that the same change triggers finds it sent.
    gate.sending('B')
    expect(gate.needs('B')).toBe(false)
    gate.done('B')
    expect(gate.needs('B')).toBe(false)
    expect(gate.needs('A')).toBe(true)
  })

  it('writes a change back to the loaded draft while another write is under way', () => {
    const gate = createSaveGate()
    gate.loaded('A')
    gate.sending('B')
    // Back to A before B is answered: the server will hold B, so A must be written.
    expect(gate.needs('A')).toBe(true)
  })

  it('keeps the newest write when an older one is answered after it started', () => {
    const gate = createSaveGate()
    gate.loaded('A')
    gate.sending('B')
    gate.sending('C')
    gate.done('B')
    expect(gate.needs('C')).toBe(false)
    gate.done('C')
    expect(gate.needs('C')).toBe(false)
    expect(gate.needs('B')).toBe(true)
  })

  it('writes again after a failed write, and a load forgets a write under way', () => {
    const gate = createSaveGate()
    gate.loaded('A')
    gate.sending('B')
    gate.failed('B')
    expect(gate.needs('B')).toBe(true)
    gate.sending('B')
    gate.loaded('D')
    expect(gate.needs('D')).toBe(false)
    expect(gate.needs('B')).toBe(true)
  })

  it('starts a replacing date from a copy of what it plays, an adding one empty', () => {
    const effective: EffectiveItem[] = [
      { ...item('b', '09:00:00'), origin: 'template' },
      { ...item('a', '08:00:00'), origin: 'template' },
    ]
    const own = [item('x', '10:00:00')]
    expect(itemsForMode('template', 'replace', [], effective)).toEqual([
      item('a', '08:00:00'),
      item('b', '09:00:00'),
    ])
    expect(itemsForMode('template', 'add', [], effective)).toEqual([])
    expect(itemsForMode('add', 'replace', own, effective)).toEqual(own)
    expect(itemsForMode('replace', 'add', own, effective)).toEqual(own)
  })
})
