/** The reports module's public face: what other modules may import from it. */
export { type Outcome, outcomeOf } from './play-outcome.js'
export { createReports, type Reports } from './reports.js'
