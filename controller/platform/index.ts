/**
 * The platform's public face: what every other module may import from it (the store's handle
 * type, the event bus, the clock, the signer). Other modules never reach past this file.
 */
export type { Db } from './database.js'
export type {
  CommandAcked,
  ControllerEvents,
  EventBus,
  MessageRejected,
  NodeChanged,
  PlayReported,
  ProgrammeChange,
  Transition,
} from './events.js'
export type { Metrics } from './metrics.js'
export type { Signer } from './signer.js'
export {
  type CancelTimer,
  type Clock,
  clockWithNow,
  createInstantFormatter,
  formatInstant,
  systemClock,
} from './time.js'
