import { errorCard } from '../../../cards/error.js';
import { lumpSumCard } from '../../../cards/lump-sum.js';
import { failureOf, SelfServiceError } from '../../services/errors.js';
import type { BotContext, LumpSumSlots, Reply } from '../context.js';
import type { SelfServiceCommandDeps } from './leave-balance.js';

/**
 * "My bonus payments": the asker's one-time payments as a card, or an error card.
 * Always sensitive (delivered privately).
 *
 * @example
 * const reply = await handleLumpSum(ctx, { year: 2024 }, { selfService })
 */
export async function handleLumpSum(ctx: BotContext, slots: LumpSumSlots, deps: SelfServiceCommandDeps): Promise<Reply> {
  try {
    const result = await deps.selfService.lumpSums(ctx.openId, slots, { now: ctx.now, timeZone: ctx.timeZone });
    return { card: lumpSumCard(result, ctx.t, ctx), sensitive: true };
  } catch (err) {
    // Never the error object itself: a bug's message could quote pay data.
    if (!(err instanceof SelfServiceError)) deps.logger?.error({ op: 'lump_sum', errName: (err as Error).name }, 'lump sum card failed');
    const retrySlots: Record<string, number> = Number.isInteger(slots.year) ? { year: Number(slots.year) } : {};
    const retry = { intent: 'lump_sum', slots: retrySlots };
    return { card: errorCard(failureOf(err), ctx.t, ctx, retry), sensitive: true };
  }
}
