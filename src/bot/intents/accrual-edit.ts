import { noticeCard } from '../../../cards/notice.js';
import { AccrualEditSlots } from '../../domain/slots.js';
import { defineCommand } from './types.js';

/**
 * `accrual.edit`: only HR requesters may propose edits. The proposal and approval flow is
 * its own issue; until it lands, HR is told so and nothing is written.
 */
export const accrualEditCommand = defineCommand({
  name: 'accrual.edit',
  slots: AccrualEditSlots,
  sensitive: false,
  fromButton: false,
  suggest: false,
  build: ({ config }) =>
    async (ctx) => {
      const allowed = config.hr.requesters.includes(ctx.openId);
      const body = allowed ? ctx.t('accrual.comingSoon') : ctx.t('accrual.notAllowed');
      return { card: noticeCard(ctx.t('accrual.title'), body, allowed ? 'blue' : 'orange'), sensitive: false };
    },
});
