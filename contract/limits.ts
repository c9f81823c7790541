/**
 * Limits of the HTTP contract that the web UI needs as values, in a module without schemas: a UI
 * chunk that imports one from here does not carry TypeBox and every route schema with it (the
 * whole of `contract/index.js` is about 125 kB of script in the browser).
 */

/** Most ids one `GET /api/nodes?ids=` names (a page's worth of alerts or incidents). */
export const NODE_IDS_MAX = 100
