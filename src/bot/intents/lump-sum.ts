import { lumpSumCard } from '../../../cards/lump-sum.js';
import { LumpSumSlots } from '../../domain/slots.js';
import { comingSoon, selfServiceAnswer } from './self-service-answer.js';
import { defineCommand } from './types.js';

/** "My bonus payments": the asker's one-time payments, or an error card. Sensitive. */
export const lumpSumCommand = defineCommand({
  name: 'lump_sum',
  slots: LumpSumSlots,
  sensitive: true,
  fromButton: true,
  menu: { key: 'lump_sum' },
  suggest: true,
  help: { line: 'help.lumpSum', button: 'help.btnLumpSum' },
  build: ({ selfService, logger, config }) =>
    async (ctx, slots) =>
      selfService
        ? selfServiceAnswer(
            ctx,
            { intent: 'lump_sum', slots, logger, hrContact: config.hrContact },
            () => selfService.lumpSums(ctx.openId, slots, ctx),
            (result) => lumpSumCard(result, ctx.t, ctx),
          )
        : comingSoon(ctx, 'lump_sum'),
});
