import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import type { TestController } from '../helpers/controller.js'

// Shared steps of the new UI's fleet browser tests.

/** A node's row in the nodes table. */
export const nodeRow = (page: Page, id: string) =>
  page.locator('.nodes-table tbody tr', { has: page.locator(`.cell-name[data-node-id="${id}"]`) })

/** The row of a node in a state ("online", "offline", …). */
export const rowInState = (page: Page, id: string, state: string) =>
  nodeRow(page, id).filter({ has: page.locator(`.state-tag[data-state="${state}"]`) })

/** Picks a zone in an open Element Plus tree select by its name. */
export async function pickTreeOption(page: Page, name: string): Promise<void> {
  const option = page.locator('.el-tree-node__content:visible', { hasText: name }).first()
  await option.click()
}

/** Creates a zone through the API. */
export async function zone(ctl: TestController, name: string, parentId?: string, code?: string) {
  const body: Record<string, string> = { name }
  if (parentId) body.parentId = parentId
  if (code) body.code = code
  const r = await ctl.api<{ id: string }>('POST', '/api/zones', body)
  expect(r.status).toBe(201)
  return r.body.id
}

/** The primary button of the open Element Plus message box. */
export const boxConfirm = (page: Page) => page.locator('.el-message-box__btns .el-button--primary')
export const boxCancel = (page: Page) =>
  page.locator('.el-message-box__btns .el-button:not(.el-button--primary)')
