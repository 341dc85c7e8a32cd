import { leaveBalanceCard } from '../../../cards/leave-balance.js';
import type { Logger } from '../../log.js';
import { answerPrivately } from './private-answer.js';
import type { SelfService } from '../../services/self-service.js';
import { LEAVE_TYPE_CODES, type BotContext, type LeaveBalanceSlots, type Reply } from '../context.js';

export interface SelfServiceCommandDeps {
  selfService: SelfService;
  /** Where unexpected (non-upstream) failures are reported. */
  logger?: Logger;
}

/**
 * "My leave balance": the asker's balances as a card, or an error card. Always
 * sensitive (delivered privately). Never throws for upstream failures.
 *
 * @example
 * const reply = await handleLeaveBalance(ctx, { leaveType: 'annual' }, { selfService })
 */
export async function handleLeaveBalance(ctx: BotContext, slots: LeaveBalanceSlots, deps: SelfServiceCommandDeps): Promise<Reply> {
  const retrySlots: Record<string, string> = LEAVE_TYPE_CODES.some((c) => c === slots.leaveType) ? { leaveType: String(slots.leaveType) } : {};
  return answerPrivately(
    ctx,
    { intent: 'leave.balance', retrySlots, logger: deps.logger },
    () => deps.selfService.leaveBalances(ctx.openId, slots, { now: ctx.now, timeZone: ctx.timeZone }),
    (result) => leaveBalanceCard(result, ctx.t, ctx),
  );
}
