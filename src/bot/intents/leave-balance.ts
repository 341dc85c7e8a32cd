import { leaveBalanceCard } from '../../../cards/leave-balance.js';
import { LeaveBalanceSlots } from '../../domain/slots.js';
import { comingSoon, selfServiceAnswer } from './self-service-answer.js';
import { defineCommand } from './types.js';

/** "My leave balance": the asker's balances, or an error card. Sensitive. */
export const leaveBalanceCommand = defineCommand({
  name: 'leave.balance',
  slots: LeaveBalanceSlots,
  sensitive: true,
  fromButton: true,
  menu: { key: 'leave_balance' },
  suggest: true,
  help: { line: 'help.leave', button: 'help.btnLeave' },
  build: ({ selfService, logger, config }) =>
    async (ctx, slots) =>
      selfService
        ? selfServiceAnswer(
            ctx,
            { intent: 'leave.balance', slots, logger, hrContact: config.hrContact },
            () => selfService.leaveBalances(ctx.openId, slots, ctx),
            (result) => leaveBalanceCard(result, ctx.t, ctx),
          )
        : comingSoon(ctx, 'leave.balance'),
});
