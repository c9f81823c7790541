/** @module protocol — the MQTT contract shared by controller and agent (pure, no I/O). */
export * from './messages.js'
export * from './presence.js'
export * from './signing.js'
export * from './topics.js'
export * from './validate.js'
export * from './version.js'
