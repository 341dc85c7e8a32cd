import { lumpSumCard } from '../../../cards/lump-sum.js';
import { answerPrivately } from './private-answer.js';
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
  const retrySlots: Record<string, number> = Number.isInteger(slots.year) ? { year: Number(slots.year) } : {};
  return answerPrivately(
    ctx,
    { intent: 'lump_sum', retrySlots, logger: deps.logger },
    () => deps.selfService.lumpSums(ctx.openId, slots, { now: ctx.now, timeZone: ctx.timeZone }),
    (result) => lumpSumCard(result, ctx.t, ctx),
  );
}
