import { errorCard } from '../../../cards/error.js';
import { leaveBalanceCard } from '../../../cards/leave-balance.js';
import type { Logger } from '../../log.js';
import { failureOf, SelfServiceError } from '../../services/errors.js';
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
  try {
    const result = await deps.selfService.leaveBalances(ctx.openId, slots, { now: ctx.now, timeZone: ctx.timeZone });
    return { card: leaveBalanceCard(result, ctx.t, ctx), sensitive: true };
  } catch (err) {
    if (!(err instanceof SelfServiceError)) deps.logger?.error({ op: 'leave.balance', errName: (err as Error).name }, 'leave balance card failed');
    const retrySlots: Record<string, string> = LEAVE_TYPE_CODES.some((c) => c === slots.leaveType) ? { leaveType: String(slots.leaveType) } : {};
    const retry = { intent: 'leave.balance', slots: retrySlots };
    return { card: errorCard(failureOf(err), ctx.t, ctx, retry), sensitive: true };
  }
}
