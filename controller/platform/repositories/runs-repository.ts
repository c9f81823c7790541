import type { Db } from '../database.js'

/** One controller run (process start to stop). */
export interface ControllerRun {
  id: number
  startedAt: string
  aliveAt: string
  stoppedAt: string | null
}

interface Row {
  id: number
  started_at: string
  alive_at: string
  stopped_at: string | null
}

const toRun = (r: Row): ControllerRun => ({
  id: r.id,
  startedAt: r.started_at,
  aliveAt: r.alive_at,
  stoppedAt: r.stopped_at,
})

/** Controller runs: start, heartbeat, clean stop. */
export function createRunsRepository(db: Db) {
  const last = db.prepare<[], Row>('SELECT * FROM controller_runs ORDER BY id DESC LIMIT 1')
  const recent = db.prepare<[number], Row>('SELECT * FROM controller_runs ORDER BY id DESC LIMIT ?')
  const insert = db.prepare('INSERT INTO controller_runs (started_at, alive_at) VALUES (?, ?)')
  const alive = db.prepare('UPDATE controller_runs SET alive_at = ? WHERE id = ?')
  const stopped = db.prepare('UPDATE controller_runs SET alive_at = ?, stopped_at = ? WHERE id = ?')
  return {
    /** The most recent run, or null before the first. */
    last: (): ControllerRun | null => {
      const r = last.get()
      return r ? toRun(r) : null
    },
    /** The newest `n` runs, newest first. */
    recent: (n: number): ControllerRun[] => recent.all(n).map(toRun),
    /** Records a new run; returns its id. */
    begin: (at: string): number => Number(insert.run(at, at).lastInsertRowid),
    alive: (id: number, at: string): void => {
      alive.run(at, id)
    },
    end: (id: number, at: string): void => {
      stopped.run(at, at, id)
    },
  }
}

/** The controller runs repository. */
export type RunsRepository = ReturnType<typeof createRunsRepository>
