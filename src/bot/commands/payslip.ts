import { errorCard } from '../../../cards/error.js';
import { payslipCard } from '../../../cards/payslip.js';
import { isMonth } from '../../services/dates.js';
import { failureOf, SelfServiceError } from '../../services/errors.js';
import type { BotContext, PayslipSlots, Reply } from '../context.js';
import type { SelfServiceCommandDeps } from './leave-balance.js';

/**
 * "Payslip Jan": the asker's payslip as a card, or an error card. Always sensitive:
 * in a group the bot sends it privately and posts a notice without figures.
 *
 * @example
 * const reply = await handlePayslip(ctx, { month: '2025-01' }, { selfService })
 */
export async function handlePayslip(ctx: BotContext, slots: PayslipSlots, deps: SelfServiceCommandDeps): Promise<Reply> {
  try {
    const result = await deps.selfService.payslip(ctx.openId, slots, { now: ctx.now, timeZone: ctx.timeZone });
    return { card: payslipCard(result, ctx.t, ctx), sensitive: true };
  } catch (err) {
    // Never the error object itself: a bug's message could quote pay data.
    if (!(err instanceof SelfServiceError)) deps.logger?.error({ op: 'payslip', errName: (err as Error).name }, 'payslip card failed');
    const retrySlots: Record<string, string> = typeof slots.month === 'string' && isMonth(slots.month) ? { month: slots.month } : {};
    const retry = { intent: 'payslip', slots: retrySlots };
    return { card: errorCard(failureOf(err), ctx.t, ctx, retry), sensitive: true };
  }
}
