import type { Db } from '../../platform/index.js'
import { COLUMNS, type NodeRecord, type NodeRow, toNode } from './nodes-repository.js'

/** Columns a node list may be sorted by in SQL. */
export type NodeSortColumn = 'name' | 'zone' | 'lastSeen'

/** A filtered, sorted slice of the nodes table. */
export interface NodeSearch {
  /** Only nodes in these zones (null: any zone). */
  zoneIds: readonly string[] | null
  /** Only the nodes with these ids (absent or null: any). */
  ids?: readonly string[] | null
  /** Text in the name, id or serial (case-insensitive for ASCII). */
  text: string | null
  /** Only online (true) or offline (false) nodes; null: both. */
  online: boolean | null
  sort: NodeSortColumn
  desc: boolean
  /** null: every match (the caller pages after filtering in memory). */
  limit: number | null
  offset: number
}

const ORDER: Record<NodeSortColumn, string> = {
  name: 'n.name %d, n.id',
  zone: 'z.name %d, n.name, n.id',
  lastSeen: 'n.last_seen IS NULL, n.last_seen %d, n.name, n.id',
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * Server-side filtering, sorting and paging of nodes (issue 9): the page and the count come from
 * SQLite through the indexes of migration 013, so a request costs the page, not the fleet.
 */
export function createNodeSearchRepository(db: Db) {
  const cache = new Map<string, ReturnType<typeof db.prepare<unknown[], unknown>>>()
  const prepared = (sql: string) => {
    let st = cache.get(sql)
    if (!st) {
      st = db.prepare<unknown[], unknown>(sql)
      // A bounded cache: the shapes of query are few (filters present or not, sort, direction).
      if (cache.size < 200) cache.set(sql, st)
    }
    return st
  }

  return {
    search(q: NodeSearch): { rows: NodeRecord[]; total: number } {
      const where: string[] = []
      const params: (string | number)[] = []
      if (q.zoneIds !== null) {
        if (q.zoneIds.length === 0) return { rows: [], total: 0 }
        where.push(`n.zone_id IN (${q.zoneIds.map(() => '?').join(', ')})`)
        params.push(...q.zoneIds)
      }
      if (q.ids) {
        where.push(`n.id IN (${q.ids.map(() => '?').join(', ')})`)
        params.push(...q.ids)
      }
      if (q.text) {
        const like = `%${escapeLike(q.text)}%`
        where.push(
          "(n.name LIKE ? ESCAPE '\\' OR n.id LIKE ? ESCAPE '\\' OR n.serial LIKE ? ESCAPE '\\')",
        )
        params.push(like, like, like)
      }
      if (q.online !== null) {
        where.push('n.online = ?')
        params.push(q.online ? 1 : 0)
      }
      const cond = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
      const order = ORDER[q.sort].replace('%d', q.desc ? 'DESC' : 'ASC')
      const from = 'FROM nodes n LEFT JOIN zones z ON z.id = n.zone_id'
      const cols = COLUMNS.split(',')
        .map((c) => `n.${c.trim()}`)
        .join(', ')
      const page = q.limit === null ? '' : ` LIMIT ${q.limit} OFFSET ${q.offset}`
      const rows = prepared(`SELECT ${cols} ${from} ${cond} ORDER BY ${order}${page}`).all(
        ...params,
      ) as NodeRow[]
      const total =
        q.limit === null
          ? rows.length
          : (prepared(`SELECT count(*) AS n FROM nodes n ${cond}`).get(...params) as { n: number })
              .n
      return { rows: rows.map(toNode), total }
    },
  }
}
