import { payslipCard } from '../../../cards/payslip.js';
import { isMonth } from '../../services/dates.js';
import { answerPrivately } from './private-answer.js';
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
  const retrySlots: Record<string, string> = typeof slots.month === 'string' && isMonth(slots.month) ? { month: slots.month } : {};
  return answerPrivately(
    ctx,
    { intent: 'payslip', retrySlots, logger: deps.logger },
    () => deps.selfService.payslip(ctx.openId, slots, { now: ctx.now, timeZone: ctx.timeZone }),
    (result) => payslipCard(result, ctx.t, ctx),
  );
}
