import { relayUrlProblem } from '../../../../../contract/index.js'
import { type Item, newId, normaliseTime, secondsOf } from './orders'

// Pure logic of a relay item (转播) in the running-order editor: the form's check (the URL as
// the server checks it, times, end after start, not past midnight), the item it makes and the
// host shown for it. No DOM here (relay.test.ts).

/** What the relay form holds: typed text. */
export interface RelayForm {
  url: string
  start: string
  end: string
  title: string
}

/** The first problem of a relay form, as a message key of orders.messages, or null. */
export function relayFormProblem(f: RelayForm): string | null {
  if (relayUrlProblem(f.url.trim()) !== null) return 'orders.relay.badUrl'
  const start = normaliseTime(f.start)
  if (!start) return 'orders.relay.badStart'
  const end = normaliseTime(f.end)
  if (!end) return 'orders.relay.badEnd'
  if (secondsOf(end) <= secondsOf(start)) return 'orders.relay.endBeforeStart'
  return null
}

/**
 * The item of a checked relay form: a new one (an id free of `taken`) or `editing` changed; no
 * audio. Throws on a form relayFormProblem refuses.
 */
export function relayItem(f: RelayForm, taken: ReadonlySet<string>, editing?: Item): Item {
  const start = normaliseTime(f.start)
  const end = normaliseTime(f.end)
  if (relayFormProblem(f) || !start || !end) throw new Error('the relay form is not valid')
  const relay = { url: f.url.trim(), end }
  const title = f.title.trim()
  if (editing) return { ...editing, start, audioId: null, title, relay }
  return { id: newId(start, taken), start, audioId: null, title, relay }
}

/** The form of an existing relay item (or a blank one starting at `start`, an hour long). */
export function relayFormOf(item: Item | null, start = '19:00:00'): RelayForm {
  if (item?.relay) {
    return { url: item.relay.url, start: item.start, end: item.relay.end, title: item.title }
  }
  const end = Math.min(secondsOf(start) + 3600, 86_399)
  const p = (n: number) => String(n).padStart(2, '0')
  const hms = `${p(Math.floor(end / 3600))}:${p(Math.floor((end % 3600) / 60))}:${p(end % 60)}`
  return { url: '', start, end: hms, title: '' }
}

/** The host (and port) a relay item names, to tell relays apart at a glance. */
export function relayHost(url: string): string {
  try {
    return new URL(url).host || url
  } catch {
    return url
  }
}
