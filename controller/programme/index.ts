/** The programme module's public face: what other modules may import from it. */
export type { Publish } from './plan-publisher.js'
export { loadPlanInputs } from './programme-inputs.js'
