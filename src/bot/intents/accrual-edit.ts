import { noticeCard } from '../../../cards/notice.js';
import { AccrualEditSlots } from '../../domain/slots.js';
import { defineCommand } from './types.js';

/**
 * `accrual.edit`: an HR requester proposes a change to a leave grant record. The employee
 * is the one person the message @-mentions (several or none: the form asks); whatever is
 * missing is asked for in a form card; the rest is the maker-checker flow (`../accrual/`).
 */
export const accrualEditCommand = defineCommand({
  name: 'accrual.edit',
  slots: AccrualEditSlots,
  sensitive: true,
  fromButton: false,
  suggest: false,
  build: ({ config, accrual }) =>
    async (ctx, slots) => {
      if (!accrual) {
        const allowed = config.hr.requesters.includes(ctx.openId);
        const body = allowed ? ctx.t('accrual.comingSoon') : ctx.t('accrual.notAllowed');
        return { card: noticeCard(ctx.t('accrual.title'), body, allowed ? 'blue' : 'orange'), sensitive: false };
      }
      const mentioned = ctx.mentions ?? [];
      return accrual.proposer.propose(ctx, {
        ...(mentioned.length === 1 ? { employee: mentioned[0] } : {}),
        leaveTypeCode: slots.leaveType,
        ...(slots.recordId ? { recordId: slots.recordId } : {}),
        ...(slots.quantity !== undefined ? { quantity: slots.quantity } : {}),
        ...(slots.expirationDate ? { expirationDate: slots.expirationDate } : {}),
        ...(slots.reason ? { reason: slots.reason } : {}),
        ...(slots.relativeChange ? { relativeChange: true } : {}),
      });
    },
});
