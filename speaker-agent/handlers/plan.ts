import type { PlanMessage } from '../../protocol/index.js'
import type { HandlerContext } from '../context.js'
import { errorMessage } from '../errors.js'
import { stampEvent } from '../events.js'

/**
 * Handles a `plan` message: ignores one for another node or one whose version is already held;
 * otherwise stores it atomically, arms the player, reports `plan.applied` and prefetches audio.
 */
export async function handlePlan(plan: PlanMessage, ctx: HandlerContext): Promise<void> {
  const { log, state } = ctx
  if (plan.nodeId !== ctx.nodeId) {
    log.warn({ planNodeId: plan.nodeId, version: plan.version }, 'plan for another node ignored')
    return
  }
  if (state.plan?.version === plan.version && !state.forceReplan) {
    log.debug({ version: plan.version }, 'plan version already held')
    return
  }
  await savePlan(plan, ctx)
  state.plan = plan
  state.forceReplan = false
  ctx.player.setPlan(plan)
  ctx.report(
    stampEvent(ctx.clock, {
      type: 'plan.applied',
      planVersion: plan.version,
      itemCount: plan.items.length,
    }),
  )
  log.info({ version: plan.version, items: plan.items.length }, 'plan applied')
  ctx.onPlanApplied(plan.version)
  void prefetchThenEvict(plan, ctx).catch((err: unknown) =>
    log.error({ err, version: plan.version }, 'prefetch failed'),
  )
}

/**
 * Stores the plan; short of disk, frees space and tries once more. Still failing, the plan is
 * played from memory anyway (a restart would announce the stored version and get it again).
 */
async function savePlan(plan: PlanMessage, ctx: HandlerContext): Promise<void> {
  try {
    await ctx.planStore.save(plan)
    return
  } catch (err) {
    ctx.log.error({ err, version: plan.version }, 'plan not stored; freeing disk and retrying')
  }
  await ctx.relieveDisk()
  try {
    await ctx.planStore.save(plan)
  } catch (err) {
    ctx.state.lastError = `plan ${plan.version} not stored: ${errorMessage(err)}`
    ctx.log.error({ err, version: plan.version }, 'plan not stored; playing it from memory')
  }
}

/**
 * Downloads the plan's audio ahead of time, reports readiness (retrying later while files are
 * missing), then drops audio no current item needs.
 */
export async function prefetchThenEvict(plan: PlanMessage, ctx: HandlerContext): Promise<void> {
  await ctx.cache.prefetch(plan.items)
  // Another plan may have arrived meanwhile: keep what the plan held *now* refers to.
  const current = ctx.state.plan
  if (current !== plan || ctx.signal.aborted) return
  ctx.readiness.afterPrefetch(plan, () => {
    if (ctx.state.plan !== plan || ctx.signal.aborted) return
    void prefetchThenEvict(plan, ctx).catch((err: unknown) =>
      ctx.log.error({ err, version: plan.version }, 'prefetch retry failed'),
    )
  })
  await ctx.cache.evict(new Set(current.items.map((i) => i.sha256)))
}
