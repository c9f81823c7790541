/**
 * Zones and nodes for the 分级管理 (zone-limited users) tests: a district with two towns, a
 * village under the first, and a registered node in the village and in the second town.
 */
import type { TestController } from './controller.js'

/** Creates a zone (under `parentId`) and gives its id. */
export async function createZone(
  ctl: TestController,
  name: string,
  parentId?: string,
): Promise<string> {
  const r = await ctl.api<{ id: string }>('POST', '/api/zones', { name, parentId })
  if (r.status !== 201) throw new Error(`create zone ${name} failed: ${r.status}`)
  return r.body.id
}

/**
 * 城北区 › 二十里铺镇 (town A) › 宋家寨村 (village A) with node `a` (宋家寨 1), and
 * 城北区 › 大堡子镇 (town B) with node `b` (严小村 1): registered, not connected.
 */
export async function twoTowns(ctl: TestController) {
  const district = await createZone(ctl, '城北区')
  const townA = await createZone(ctl, '二十里铺镇', district)
  const villageA = await createZone(ctl, '宋家寨村', townA)
  const townB = await createZone(ctl, '大堡子镇', district)
  const a = await ctl.register('宋家寨 1', villageA)
  const b = await ctl.register('严小村 1', townB)
  return { district, townA, villageA, townB, a, b }
}

/**
 * Chengbei's tree from the bundled catalogue with two towns (630105100 and 630105101) and a
 * village 严小村 under the first: their ids.
 */
export async function catalogueTowns(ctl: TestController) {
  const setup = await ctl.api('POST', '/api/zones/setup', {
    district: '630105',
    towns: ['630105100', '630105101'],
  })
  if (setup.status >= 300) throw new Error(`zone setup failed: ${setup.status}`)
  const zones = (await ctl.api<{ id: string; code: string }[]>('GET', '/api/zones')).body
  const town = zones.find((z) => z.code === '630105100')?.id as string
  const otherTown = zones.find((z) => z.code === '630105101')?.id as string
  const village = await createZone(ctl, '严小村', town)
  return { town, otherTown, village }
}
