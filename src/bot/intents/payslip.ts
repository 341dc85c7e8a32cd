import { payslipCard } from '../../../cards/payslip.js';
import { PayslipSlots } from '../../domain/slots.js';
import { comingSoon, selfServiceAnswer } from './self-service-answer.js';
import { defineCommand } from './types.js';

/** "Payslip Jan": the asker's payslip, or an error card. Sensitive. */
export const payslipCommand = defineCommand({
  name: 'payslip',
  slots: PayslipSlots,
  sensitive: true,
  fromButton: true,
  menu: { key: 'payslip' },
  suggest: true,
  help: { line: 'help.payslip', button: 'help.btnPayslip' },
  build: ({ selfService, logger, config }) =>
    async (ctx, slots) =>
      selfService
        ? selfServiceAnswer(
            ctx,
            { intent: 'payslip', slots, logger, hrContact: config.hrContact },
            () => selfService.payslip(ctx.openId, slots, ctx),
            (result) => payslipCard(result, ctx.t, ctx),
          )
        : comingSoon(ctx, 'payslip'),
});
