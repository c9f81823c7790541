/**
 * @module contract
 * The HTTP contract: every route's TypeBox request and response schemas and the types derived
 * from them, shared by the server (routes declare them, fastify validates and serialises by
 * them, OpenAPI is generated from them) and the web UI. Pure: imports only `typebox`,
 * `protocol/` and `schedules/`.
 */
export * from './accounts.js'
export * from './audit-actions.js'
export * from './common.js'
export * from './fleet.js'
export * from './labels.js'
export * from './limits.js'
export * from './live.js'
export * from './live-talk.js'
export * from './platform.js'
export * from './programme.js'
export * from './programme-audio.js'
export * from './programme-days.js'
export * from './programme-holidays.js'
export * from './provisioning.js'
export * from './report-columns.js'
export * from './reports.js'
export * from './routes.js'
